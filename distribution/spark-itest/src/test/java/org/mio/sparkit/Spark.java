package org.mio.sparkit;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Spark's own JVMs, started from {@code target/spark-home/jars} as {@code spark-class} would start
 * them: a standalone master, workers, and {@code SparkSubmit} for a driver. Nothing of Spark is
 * on this test's class path.
 */
final class Spark {
    private Spark() {}

    /** The options spark-submit adds for Java 17 (Spark's JavaModuleOptions). */
    static final List<String> MODULE_OPTIONS = List.of(
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
            "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
            "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED");

    static Path home() {
        return Path.of(System.getProperty("mio.spark.home")).toAbsolutePath();
    }

    static Path job() {
        return Path.of(System.getProperty("mio.spark.job")).toAbsolutePath();
    }

    static Path mio() {
        return Path.of(System.getProperty("mio.dist")).toAbsolutePath();
    }

    /**
     * {@code spark-home/bin/spark-submit}, as a Spark distribution has it (that one goes through
     * Spark's launcher library; this one starts SparkSubmit with the same module options).
     */
    static Path submitScript() throws IOException {
        Path script = home().resolve("bin/spark-submit");
        Files.createDirectories(script.getParent());
        Files.writeString(
                script,
                "#!/usr/bin/env bash\n"
                        + "home=\"$(cd \"$(dirname \"${BASH_SOURCE[0]}\")/..\" && pwd)\"\n"
                        + "export SPARK_HOME=\"$home\" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1\n"
                        + "exec \"" + Path.of(System.getProperty("java.home"), "bin", "java") + "\" "
                        + String.join(" ", MODULE_OPTIONS)
                        + " -Xmx1g -cp \"$home/jars/*\" org.apache.spark.deploy.SparkSubmit \"$@\"\n");
        script.toFile().setExecutable(true);
        return script;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** {@code java <module options> -cp spark-home/jars/* <main> args}, output to {@code log}. */
    static Process start(String main, List<String> args, Path log, String heap) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(MODULE_OPTIONS);
        cmd.add("-Xmx" + heap);
        cmd.add("-cp");
        cmd.add(home().resolve("jars") + "/*");
        cmd.add(main);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_HOME", home().toString());
        // a real distribution's launcher learns this from its RELEASE layout; ours is only jars/
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return pb.start();
    }

    /** Waits until {@code log} contains {@code text}; fails after {@code seconds} or if the process ends. */
    static void await(Process p, Path log, String text, int seconds) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            if (!p.isAlive()) {
                throw new AssertionError("ended before '" + text + "':\n" + Files.readString(log));
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no '" + text + "' within " + seconds + " s:\n" + Files.readString(log));
    }

    /** Stops a process and, first, the processes it started (a worker's executors, their mio). */
    static void stop(Process p) throws InterruptedException {
        if (p == null) {
            return;
        }
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }
}
