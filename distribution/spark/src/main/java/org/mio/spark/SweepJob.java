package org.mio.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.deploy.SparkHadoopUtil;

/**
 * {@code spark-submit --class org.mio.spark.SweepJob mio-spark.jar [--mio HOME] --out FOLDER|URI
 * <sweep.json | preset>}: a mio sweep on a Spark cluster, one Spark task per trial.
 *
 * <p>The driver asks mio for the sweep's trials ({@code mio sweep --list}), skips the completed
 * ones, sets {@code spark.task.cpus} to the sweep's {@code threadsPerTrial} (unless it is set),
 * and runs each remaining trial as a task ({@link TrialTask}); when they are done it writes the
 * summary with {@code mio sweep --summary-only}, the code the local sweep ends with. Started again
 * on the same {@code --out}, it goes on where the last one stopped.
 *
 * <p>Exit status: 0 every trial completed, 1 some failed (the summary is written all the same),
 * 2 bad options.
 */
public final class SweepJob {
    private SweepJob() {}

    public static void main(String[] args) throws Exception {
        JobOptions o;
        try {
            o = JobOptions.parse(Arrays.asList(args));
            Mio.home(o.mio());
        } catch (IllegalArgumentException e) {
            System.err.println("mio-spark: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(run(o, new SparkConf()));
    }

    /** The whole job with {@code conf}; returns the exit status. */
    static int run(JobOptions given, SparkConf conf) throws IOException, InterruptedException {
        // a relative --out is the driver's: the tasks get it absolute (their working folders differ)
        JobOptions o = given.outIsUri()
                ? given
                : new JobOptions(
                        given.sweep(),
                        Path.of(given.out()).toAbsolutePath().toString(),
                        given.mio(),
                        given.syncSeconds(),
                        given.lockWaitSeconds());
        Path home = Mio.home(o.mio());
        SweepFiles sweep = SweepFiles.read(o.sweep());
        Path staging = Files.createTempDirectory("mio-spark-driver-");
        try {
            String target = sweep.materialize(staging.resolve("sweep"));
            // the listing of a URI --out is taken against an empty local folder; statuses come from the URI
            Path listOut =
                    o.outIsUri() ? staging.resolve("list") : Path.of(o.out()).toAbsolutePath();
            StringBuilder text = new StringBuilder();
            Mio.Result listed = Mio.run(
                    home,
                    staging,
                    List.of("sweep", target, "--out", listOut.toString(), "--list"),
                    line -> text.append(line).append('\n'));
            if (listed.code() != 0) {
                System.err.println(listed.tail());
                return listed.code() == 2 ? 2 : 1;
            }
            JsonNode listing = new ObjectMapper().readTree(text.substring(text.indexOf("{")));
            String name = listing.path("sweep").asText();
            int threads = listing.path("threadsPerTrial").asInt(1);
            conf.setIfMissing("spark.app.name", "mio sweep " + name);
            if (!conf.contains("spark.task.cpus")) {
                conf.set("spark.task.cpus", Integer.toString(threads));
            } else if (conf.getInt("spark.task.cpus", 1) != threads) {
                System.err.println("mio-spark: spark.task.cpus = " + conf.get("spark.task.cpus") + " but " + name
                        + " runs each trial on threadsPerTrial = " + threads + " threads; the cores are "
                        + (conf.getInt("spark.task.cpus", 1) < threads ? "oversubscribed" : "not all used"));
            }

            List<String> todo = new ArrayList<>();
            int complete = 0;
            try (JavaSparkContext sc = new JavaSparkContext(conf)) {
                Configuration hadoop = sc.hadoopConfiguration();
                FileSystem fs = o.outIsUri() ? Folders.fileSystem(o.out(), hadoop) : null;
                for (JsonNode t : listing.path("trials")) {
                    String trial = t.path("trial").asText();
                    String status = fs != null
                            ? Folders.status(fs, new org.apache.hadoop.fs.Path(o.out(), trial))
                            : t.path("status").asText();
                    if ("COMPLETED".equals(status)) {
                        complete++;
                    } else {
                        todo.add(trial);
                    }
                }
                System.out.printf(
                        "mio-spark: sweep %s: %d trials, %d already complete, %d to run as Spark tasks of %d cores → %s%n",
                        name, todo.size() + complete, complete, todo.size(), threads, o.out());
                List<TrialTask.Outcome> outcomes = todo.isEmpty()
                        ? List.of()
                        : sc.parallelize(todo, todo.size())
                                .map(trial -> TrialTask.run(
                                        o,
                                        sweep,
                                        trial,
                                        SparkHadoopUtil.get()
                                                .newConfiguration(SparkEnv.get().conf())))
                                .collect();
                int failed = 0;
                for (TrialTask.Outcome out : outcomes) {
                    java.util.regex.Matcher resumed = java.util.regex.Pattern.compile(
                                    "resumes from its checkpoint at epoch (-?\\d+)")
                            .matcher(out.tail());
                    System.out.printf(
                            "mio-spark: trial %-16s %s on %s%s%n",
                            out.trial(),
                            out.code() == 0 ? "COMPLETED" : "FAILED",
                            out.host(),
                            resumed.find() ? " (resumed from its checkpoint at epoch " + resumed.group(1) + ")" : "");
                    if (out.code() != 0) {
                        failed++;
                        System.out.println(out.tail());
                    }
                }
                int code = summarize(o, home, target, staging, fs, hadoop, listing);
                return code != 0 ? code : failed == 0 ? 0 : 1;
            }
        } finally {
            TrialTask.deleteTree(staging);
        }
    }

    /**
     * {@code mio sweep --summary-only} on the trial folders: in place on a mounted {@code --out};
     * for a URI, on local copies, whose summary files are then copied to the URI.
     */
    private static int summarize(
            JobOptions o, Path home, String target, Path staging, FileSystem fs, Configuration hadoop, JsonNode listing)
            throws IOException, InterruptedException {
        Path out = o.outIsUri() ? staging.resolve("summary") : Path.of(o.out()).toAbsolutePath();
        if (fs != null) {
            Files.createDirectories(out);
            for (JsonNode t : listing.path("trials")) {
                String trial = t.path("trial").asText();
                Folders.download(fs, new org.apache.hadoop.fs.Path(o.out(), trial), out.resolve(trial), hadoop);
            }
        }
        Mio.Result r = Mio.run(
                home,
                staging,
                List.of("sweep", target, "--out", out.toString(), "--summary-only"),
                System.out::println);
        if (r.code() != 0) {
            return r.code();
        }
        if (fs != null) {
            for (String f : new String[] {"summary.json", "trials.csv", "curves.csv", "report.html", "figures"}) {
                Path local = out.resolve(f);
                if (Files.exists(local)) {
                    org.apache.hadoop.fs.Path dst = new org.apache.hadoop.fs.Path(o.out(), f);
                    fs.delete(dst, true);
                    System.out.println("mio-spark: " + f + " → " + dst);
                    org.apache.hadoop.fs.FileUtil.copy(
                            FileSystem.getLocal(hadoop).getRaw(),
                            new org.apache.hadoop.fs.Path(local.toUri()),
                            fs,
                            dst,
                            false,
                            true,
                            hadoop);
                }
            }
        }
        return 0;
    }
}
