package org.mio.spark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs {@code bin/mio} of a mio distribution as a child process: Spark's class path (its Jackson,
 * Netty, Hadoop) never meets the OSGi framework, and a trial that crashes takes down its own
 * process only. A child still running when this JVM exits (an executor being stopped) is sent
 * SIGTERM, on which mio checkpoints the current epoch and records the run as stopped.
 */
final class Mio {
    private Mio() {}

    /**
     * What a child printed and how it ended.
     *
     * @param code its exit status
     * @param tail its last lines of output (stdout and stderr together)
     */
    record Result(int code, String tail) {}

    /** The distribution at {@code home}, checked: {@code bin/mio} must be there and executable. */
    static Path home(String home) {
        Path dir = Path.of(home).toAbsolutePath().normalize();
        Path bin = dir.resolve("bin/mio");
        if (!Files.isRegularFile(bin) || !Files.isExecutable(bin)) {
            throw new IllegalArgumentException(
                    "--mio " + home + ": no executable bin/mio there; name the folder of a mio distribution that"
                            + " every machine has (or ship it with --archives mio.tgz#mio and pass --mio mio)");
        }
        return dir;
    }

    /**
     * Runs {@code bin/mio args} in {@code workDir} to its end.
     *
     * @param lines receives every line of output as it comes (may be {@code null})
     */
    static Result run(Path home, Path workDir, List<String> args, Consumer<String> lines)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(home.resolve("bin/mio").toString());
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .start();
        Thread stop = new Thread(() -> {
            if (p.isAlive()) {
                p.destroy(); // SIGTERM: mio finishes the epoch, checkpoints it and exits
                try {
                    p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        Runtime.getRuntime().addShutdownHook(stop);
        Deque<String> tail = new ArrayDeque<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (lines != null) {
                    lines.accept(line);
                }
                tail.addLast(line);
                if (tail.size() > 40) {
                    tail.removeFirst();
                }
            }
        }
        int code = p.waitFor();
        try {
            Runtime.getRuntime().removeShutdownHook(stop);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook has run or will find the child gone
        }
        return new Result(code, String.join("\n", tail));
    }
}
