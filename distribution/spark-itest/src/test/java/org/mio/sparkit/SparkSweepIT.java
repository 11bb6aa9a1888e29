package org.mio.sparkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The job jar on real Spark: a standalone master and two one-core workers on localhost, each its
 * own JVM, with one worker killed (SIGKILL) while it runs a trial; and Spark's local mode writing
 * through a {@code file://} URI. Each run of the shrunk sweep must equal the local {@code mio
 * sweep} of the same file: every trial's metrics.jsonl and analysis.jsonl value for value but the
 * wall-clock seconds, and the summary's statistics.
 */
class SparkSweepIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TRIALS = List.of("lambda-1001", "lambda-1002", "control-1001", "control-1002");
    /** wm-quick shrunk: 2 conditions × 2 seeds, 12 epochs with a checkpoint after each. */
    private static final String SWEEP = """
            {"name": "spark-it", "experiment": "wm-quick", "seeds": [1001, 1002],
             "conditions": {
               "lambda": {"training.lambdaMi": 0.1, "training.epochs": 12, "training.estimatorPretrainSteps": 20,
                          "training.snapshotEvery": 4, "training.checkpointEvery": 1},
               "control": {"training.lambdaMi": 0.0, "training.epochs": 12, "training.estimatorPretrainSteps": 20,
                           "training.snapshotEvery": 4, "training.checkpointEvery": 1}},
             "threadsPerTrial": 1, "bootstrapResamples": 500}
            """;

    private static Path work;
    private static Path sweep;
    private static Path local;
    private final List<Process> started = new ArrayList<>();

    @BeforeAll
    static void theSameSweepRunLocally() throws Exception {
        work = Path.of("target/spark-it").toAbsolutePath();
        deleteTree(work);
        Files.createDirectories(work);
        sweep = work.resolve("spark-it.json");
        Files.writeString(sweep, SWEEP);
        local = work.resolve("local");
        long t0 = System.nanoTime();
        List<String> cmd = List.of(
                Spark.mio().resolve("bin/mio").toString(), "sweep", sweep.toString(), "--out", local.toString());
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("local.log").toFile())
                .start();
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "the local sweep did not end in 10 minutes");
        assertEquals(0, p.exitValue(), Files.readString(work.resolve("local.log")));
        System.out.printf("local mio sweep (2 trials at a time): %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    @AfterEach
    void stopSpark() throws InterruptedException {
        for (Process p : started) {
            Spark.stop(p);
        }
    }

    @Test
    void aStandaloneClusterRunsTheSweepAndResumesTheTrialOfALostWorker() throws Exception {
        Path dir = Files.createDirectories(work.resolve("standalone"));
        int port = Spark.freePort();
        String master = "spark://127.0.0.1:" + port;
        Process m = start(
                "org.apache.spark.deploy.master.Master",
                List.of(
                        "--host",
                        "127.0.0.1",
                        "--port",
                        Integer.toString(port),
                        "--webui-port",
                        Integer.toString(Spark.freePort())),
                dir.resolve("master.log"),
                "512m");
        Spark.await(m, dir.resolve("master.log"), "I have been elected leader", 60);
        List<Process> workers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Path log = dir.resolve("worker-" + i + ".log");
            Process w = start(
                    "org.apache.spark.deploy.worker.Worker",
                    List.of(
                            "--host",
                            "127.0.0.1",
                            "--cores",
                            "1",
                            "--memory",
                            "2g",
                            "--webui-port",
                            Integer.toString(Spark.freePort()),
                            "--work-dir",
                            dir.resolve("worker-" + i).toString(),
                            master),
                    log,
                    "512m");
            Spark.await(w, log, "Successfully registered with master", 60);
            workers.add(w);
        }
        Path out = dir.resolve("out");
        long t0 = System.nanoTime();
        Process driver = start(
                "org.apache.spark.deploy.SparkSubmit",
                List.of(
                        "--master",
                        master,
                        "--conf",
                        "spark.driver.host=127.0.0.1",
                        "--conf",
                        "spark.driver.bindAddress=127.0.0.1",
                        "--class",
                        "org.mio.spark.SweepJob",
                        Spark.job().toString(),
                        "--mio",
                        Spark.mio().toString(),
                        "--out",
                        out.toString(),
                        sweep.toString()),
                dir.resolve("driver.log"),
                "1g");
        // once both workers run a trial past its second checkpoint, kill the first worker outright
        String lost = awaitTwoRunningTrials(driver, out, dir.resolve("driver.log"));
        workers.get(0).destroyForcibly(); // its executor and that executor's mio are left to notice on their own
        assertTrue(driver.waitFor(10, TimeUnit.MINUTES), "the job did not end in 10 minutes");
        String log = Files.readString(dir.resolve("driver.log"));
        assertEquals(0, driver.exitValue(), log);
        System.out.printf(
                "standalone cluster, two 1-core workers, one killed: %.1f s (running trials at the kill: %s)%n",
                (System.nanoTime() - t0) / 1e9, lost);
        Matcher resumed = Pattern.compile(
                        "trial (\\S+)\\s+COMPLETED on \\S+ \\(resumed from its checkpoint at epoch (\\d+)\\)")
                .matcher(log);
        assertTrue(resumed.find(), "no trial resumed from a checkpoint:\n" + log);
        assertTrue(Integer.parseInt(resumed.group(2)) >= 2, resumed.group());
        assertTrue(lost.contains(resumed.group(1)), resumed.group(1) + " was not running at the kill: " + lost);
        assertSameAsLocal(out);
    }

    /** Through {@code mio sweep --engine spark}, the wrapper that runs spark-submit with this distribution's job. */
    @Test
    void localModeWritesTheRunFoldersThroughAFileUri() throws Exception {
        Path dir = Files.createDirectories(work.resolve("local-mode"));
        Path out = dir.resolve("out");
        long t0 = System.nanoTime();
        List<String> cmd = List.of(
                Spark.mio().resolve("bin/mio").toString(),
                "sweep",
                sweep.toString(),
                "--engine",
                "spark",
                "--master",
                "local[2]",
                "--spark-submit",
                Spark.submitScript().toString(),
                "--out",
                out.toUri().toString(),
                "--sync-seconds",
                "2");
        Process driver = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("driver.log").toFile())
                .start();
        started.add(driver);
        assertTrue(driver.waitFor(10, TimeUnit.MINUTES), "the job did not end in 10 minutes");
        String log = Files.readString(dir.resolve("driver.log"));
        assertEquals(0, driver.exitValue(), log);
        System.out.printf("local[2] through a file:// URI: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertTrue(log.contains("summary.json → file:"), log);
        try (var s = Files.walk(out)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".crc")), "checksum side files in " + out);
        }
        assertSameAsLocal(out);
    }

    private Process start(String main, List<String> args, Path log, String heap) throws IOException {
        Process p = Spark.start(main, args, log, heap);
        started.add(p);
        return p;
    }

    /** Waits until two trials are running with a checkpoint of epoch ≥ 2; their names. */
    private static String awaitTwoRunningTrials(Process driver, Path out, Path log) throws Exception {
        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < end) {
            List<String> running = new ArrayList<>();
            for (String t : TRIALS) {
                Path state = out.resolve(t + "/checkpoint/state.json");
                try {
                    if (Files.exists(state)
                            && "RUNNING".equals(status(out.resolve(t)))
                            && JSON.readTree(state.toFile()).path("epoch").asInt() >= 2) {
                        running.add(t);
                    }
                } catch (IOException e) {
                    // being written: look again
                }
            }
            if (running.size() == 2) {
                return String.join(", ", running);
            }
            if (!driver.isAlive()) {
                throw new AssertionError("the job ended before two trials ran together:\n" + Files.readString(log));
            }
            Thread.sleep(100);
        }
        throw new AssertionError("two trials never ran together:\n" + Files.readString(log));
    }

    private static String status(Path runFolder) throws IOException {
        Path p = runFolder.resolve("provenance.json");
        return Files.exists(p) ? JSON.readTree(p.toFile()).path("status").asText() : "";
    }

    /** Every trial's metrics and analyses, and the summary's statistics, equal the local sweep's. */
    private static void assertSameAsLocal(Path out) throws IOException {
        for (String t : TRIALS) {
            assertEquals("COMPLETED", status(out.resolve(t)), t);
            for (String f : List.of("metrics.jsonl", "analysis.jsonl")) {
                assertEquals(
                        withoutSeconds(local.resolve(t).resolve(f)),
                        withoutSeconds(out.resolve(t).resolve(f)),
                        t + "/" + f);
            }
        }
        JsonNode a = JSON.readTree(local.resolve("summary.json").toFile());
        JsonNode b = JSON.readTree(out.resolve("summary.json").toFile());
        for (String part : List.of("/between", "/conditions", "/success", "/differentiation")) {
            assertTrue(!a.at(part).isMissingNode(), part);
            assertEquals(a.at(part), b.at(part), part);
        }
        assertEquals(Files.readAllLines(local.resolve("trials.csv")), Files.readAllLines(out.resolve("trials.csv")));
        assertTrue(Files.exists(out.resolve("report.html")));
    }

    private static List<String> withoutSeconds(Path jsonl) throws IOException {
        return Files.readAllLines(jsonl).stream()
                .map(l -> l.replaceAll("\"seconds\":[0-9.eE+-]+,?", ""))
                .toList();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
