package org.mio.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code mio sweep <sweep> --engine spark --master URL --out FOLDER|URI [--conf k=v]…
 * [--spark-submit PATH]}: the same sweep on a Spark cluster, as a thin wrapper that runs {@code
 * spark-submit} with the job jar of this distribution ({@code spark/mio-spark.jar}) and this
 * distribution as the one the tasks run. It needs no OSGi framework, so the launcher handles it.
 * {@code --engine local} (the default) is the ordinary {@code mio sweep}.
 */
final class SparkEngine {
    private SparkEngine() {}

    /** Whether the arguments of a command ask for the Spark engine. */
    static boolean wanted(String[] args) {
        if (args.length == 0 || !args[0].equals("sweep")) {
            return false;
        }
        for (int i = 1; i + 1 < args.length; i++) {
            if (args[i].equals("--engine")) {
                return !args[i + 1].equals("local");
            }
        }
        return false;
    }

    /**
     * The spark-submit command for {@code args} (which start with {@code sweep}).
     *
     * @throws IllegalArgumentException with a one-line message for a bad or missing option
     */
    static List<String> command(String[] args, Path home, String sparkHome) {
        String sweep = null;
        String master = null;
        String out = null;
        String submit = null;
        List<String> conf = new ArrayList<>();
        List<String> job = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--engine" -> {
                    String e = value(args, ++i, a);
                    if (!e.equals("spark")) {
                        throw new IllegalArgumentException("--engine " + e + ": the engines are local and spark");
                    }
                }
                case "--master" -> master = value(args, ++i, a);
                case "--out" -> out = value(args, ++i, a);
                case "--spark-submit" -> submit = value(args, ++i, a);
                case "--conf" -> {
                    conf.add("--conf");
                    conf.add(value(args, ++i, a));
                }
                case "--sync-seconds", "--lock-wait-seconds" -> {
                    job.add(a);
                    job.add(value(args, ++i, a));
                }
                default -> {
                    if (a.startsWith("-") || sweep != null) {
                        throw new IllegalArgumentException("unexpected argument " + a + " for --engine spark; it takes"
                                + " --master URL --out FOLDER|URI [--conf k=v]… [--spark-submit PATH]"
                                + " [--sync-seconds N] [--lock-wait-seconds N]");
                    }
                    sweep = a;
                }
            }
        }
        if (sweep == null) {
            throw new IllegalArgumentException("which sweep? a sweep file or a preset such as wm-quick-sweep");
        }
        if (master == null) {
            throw new IllegalArgumentException("--engine spark needs --master, e.g. spark://host:7077, yarn,"
                    + " k8s://https://host:6443 or local[2]");
        }
        if (out == null) {
            throw new IllegalArgumentException("--engine spark needs --out: a folder every machine sees, or a Hadoop"
                    + " FileSystem URI such as hdfs://namenode/sweeps/s");
        }
        if (submit == null) {
            if (sparkHome == null || sparkHome.isBlank()) {
                throw new IllegalArgumentException(
                        "--engine spark needs spark-submit: set SPARK_HOME or pass --spark-submit PATH");
            }
            submit = Path.of(sparkHome, "bin", "spark-submit").toString();
        }
        Path jar = home.resolve("spark/mio-spark.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("this distribution has no spark/mio-spark.jar; assemble one with it");
        }
        List<String> cmd = new ArrayList<>(List.of(submit, "--master", master, "--class", "org.mio.spark.SweepJob"));
        cmd.addAll(conf);
        cmd.add(jar.toString());
        cmd.addAll(List.of("--mio", home.toString(), "--out", out));
        cmd.addAll(job);
        // a sweep file is read by the driver, here: its absolute path, so spark-submit's folder does not matter
        cmd.add(
                Files.isRegularFile(Path.of(sweep))
                        ? Path.of(sweep).toAbsolutePath().toString()
                        : sweep);
        return cmd;
    }

    /** Runs spark-submit with this process's output; its exit status. */
    static int run(String[] args, Path home) throws IOException, InterruptedException {
        List<String> cmd;
        try {
            cmd = command(args, home, System.getenv("SPARK_HOME"));
        } catch (IllegalArgumentException e) {
            System.err.println("mio sweep: " + e.getMessage());
            return 2;
        }
        if (!Files.isExecutable(Path.of(cmd.get(0)))) {
            System.err.println("mio sweep: " + cmd.get(0) + " is not an executable spark-submit");
            return 2;
        }
        return new ProcessBuilder(cmd).inheritIO().start().waitFor();
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
