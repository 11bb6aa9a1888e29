package org.mio.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * One Spark task: one trial, run by {@code mio sweep <sweep> --out <folder> --trial <name>} in a
 * child process, exactly as the local sweep runs it (a completed trial is skipped, a checkpointed
 * one resumes). With a URI {@code --out}, the trial runs in a local folder that is filled from the
 * URI first and copied back while it runs and at its end.
 *
 * <p>How it ends: the trial completed or failed (a diverged run, say) → a result; mio stopped
 * (its executor is being shut down) or the options are bad → an exception, so that Spark runs the
 * task again, and the trial resumes from its checkpoint.
 */
final class TrialTask {
    private TrialTask() {}

    /**
     * What one task reports to the driver.
     *
     * @param trial its name, {@code <condition>-<seed>}
     * @param code mio's exit status (0 completed, 1 failed)
     * @param host where it ran
     * @param tail the last lines mio printed
     */
    record Outcome(String trial, int code, String host, String tail) implements Serializable {}

    static Outcome run(JobOptions o, SweepFiles sweep, String trial, Configuration conf)
            throws IOException, InterruptedException {
        Path home = Mio.home(o.mio());
        Path work = Files.createTempDirectory("mio-trial-" + trial + "-");
        try {
            String target = sweep.materialize(work.resolve("sweep"));
            if (!o.outIsUri()) {
                return runTrial(o, home, work, target, Path.of(o.out()).toAbsolutePath(), trial);
            }
            FileSystem fs = Folders.fileSystem(o.out(), conf);
            org.apache.hadoop.fs.Path remote = new org.apache.hadoop.fs.Path(o.out(), trial);
            Path local = work.resolve("out");
            Files.createDirectories(local);
            Path folder = local.resolve(trial);
            if (Folders.download(fs, remote, folder, conf)) {
                log(trial, "copied " + remote + " here to go on with it");
            }
            ScheduledExecutorService sync = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "mio-sync-" + trial);
                t.setDaemon(true);
                return t;
            });
            sync.scheduleWithFixedDelay(
                    () -> {
                        try {
                            if (Files.isDirectory(folder.resolve("checkpoint"))) {
                                Folders.upload(folder, fs, remote, conf);
                            }
                        } catch (IOException | RuntimeException e) {
                            log(trial, "copy to " + remote + " failed, tried again later: " + e);
                        }
                    },
                    o.syncSeconds(),
                    o.syncSeconds(),
                    TimeUnit.SECONDS);
            Outcome out;
            try {
                out = runTrial(o, home, work, target, local, trial);
            } finally {
                sync.shutdownNow();
                sync.awaitTermination(60, TimeUnit.SECONDS);
                if (Files.isDirectory(folder)) {
                    Folders.upload(folder, fs, remote, conf);
                }
            }
            return out;
        } finally {
            deleteTree(work);
        }
    }

    private static Outcome runTrial(JobOptions o, Path home, Path work, String target, Path out, String trial)
            throws IOException, InterruptedException {
        List<String> args = List.of("sweep", target, "--out", out.toString(), "--trial", trial);
        long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.lockWaitSeconds());
        while (true) {
            Mio.Result r = Mio.run(home, work, args, line -> log(trial, line));
            if (r.code() == 1 && r.tail().contains("is in use by another run") && System.nanoTime() < waitUntil) {
                // a lost executor's mio still finishes its epoch in this folder (mounted --out): wait for it
                log(trial, "its folder is still in use; trying again in 5 s");
                Thread.sleep(5000);
                continue;
            }
            if (r.code() == 0 || r.code() == 1) {
                return new Outcome(trial, r.code(), host(), r.tail());
            }
            throw new IllegalStateException("trial " + trial + ": mio ended with status " + r.code()
                    + (r.code() == 2 ? " (a usage or configuration error)" : " (stopped; a retry resumes it)")
                    + ":\n" + r.tail());
        }
    }

    /** Into the executor's log (its stderr), prefixed with the trial. */
    static void log(String trial, String line) {
        System.err.println("[mio " + trial + "] " + line);
    }

    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "?";
        }
    }

    /** Deletes a work folder, whatever it holds (Hadoop's FileUtil, which does not follow links out of it). */
    static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir) && !org.apache.hadoop.fs.FileUtil.fullyDelete(dir.toFile())) {
            throw new IOException("could not delete " + dir);
        }
    }
}
