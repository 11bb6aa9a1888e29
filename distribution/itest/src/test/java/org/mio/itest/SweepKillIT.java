package org.mio.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.Test;

/**
 * A sweep killed with SIGKILL at a random epoch and run again gives the results of a sweep that
 * was never interrupted: every trial's {@code metrics.jsonl} and {@code analysis.jsonl}, and the
 * sweep's {@code summary.json}, {@code trials.csv} and {@code curves.csv}, equal value for value
 * (doubles compared by their shortest decimal form, which identifies their bits), but for the
 * wall-clock {@code seconds}. Two seeds × two conditions of a shrunk wm-quick, two trials at a
 * time, a checkpoint every epoch.
 */
public class SweepKillIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    public void aSweepKilledAtARandomEpochAndRunAgainEqualsAnUninterruptedOne() throws Exception {
        Path work = Distribution.tempDir("mio-sweep-kill");
        ObjectNode exp = (ObjectNode) JSON.readTree(
                Distribution.home().resolve("examples/wm-quick.json").toFile());
        ((ObjectNode) exp.at("/task/params")).put("learningSteps", 60).put("transientSteps", 10);
        ((ObjectNode) exp.get("training"))
                .put("epochs", 8)
                .put("snapshotEvery", 2)
                .put("checkpointEvery", 1);
        exp.put("name", "tiny");
        Files.writeString(work.resolve("tiny.json"), JSON.writeValueAsString(exp));
        Files.writeString(work.resolve("sweep.json"), """
                {"name": "kill", "experiment": "tiny.json", "seeds": [11, 12],
                 "conditions": {"lambda": {"training.lambdaMi": 0.1}, "control": {"training.lambdaMi": 0.0}},
                 "threadsPerTrial": 1, "parallelTrials": 2}
                """);

        Path whole = work.resolve("whole");
        assertEquals(0, sweep(work, whole).waitFor());

        long seed = System.nanoTime();
        int killAt = 1 + new Random(seed).nextInt(6); // after epoch 1 … 6 of the first trial to get there
        System.out.println("SweepKillIT: SIGKILL once a trial has finished epoch " + killAt + " (seed " + seed + ")");
        Path killed = work.resolve("killed");
        Process p = sweep(work, killed);
        long deadline = System.currentTimeMillis() + 180_000;
        while (maxEpoch(killed) < killAt && p.isAlive() && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertTrue("the sweep was still running at epoch " + killAt, p.isAlive());
        p.destroyForcibly(); // SIGKILL: no shutdown hook, no last checkpoint
        p.waitFor(30, TimeUnit.SECONDS);
        System.out.println("SweepKillIT: killed at epoch " + maxEpoch(killed) + " of the furthest trial");
        Process again = sweep(work, killed);
        assertEquals(Files.readString(work.resolve("killed.err")), 0, again.waitFor());
        // the trials cut short went on from their checkpoints, not from epoch 0
        int resumed = 0;
        try (Stream<Path> s = Files.list(killed)) {
            for (Path t : s.filter(d -> Files.isRegularFile(d.resolve("provenance.json")))
                    .toList()) {
                for (JsonNode session :
                        JSON.readTree(t.resolve("provenance.json").toFile()).get("sessions")) {
                    resumed += session.get("resumed").asBoolean() ? 1 : 0;
                }
            }
        }
        assertTrue(
                "no trial resumed from its checkpoint: " + Files.readString(work.resolve("killed.out")), resumed > 0);
        System.out.println("SweepKillIT: " + resumed + " trial(s) resumed from their checkpoints");

        List<String> trials = List.of("lambda-11", "lambda-12", "control-11", "control-12");
        for (String t : trials) {
            assertEquals(
                    t + ": one metrics row per epoch",
                    8,
                    Distribution.rowsWithoutSeconds(whole.resolve(t).resolve("metrics.jsonl"))
                            .size());
            for (String f : List.of("metrics.jsonl", "analysis.jsonl")) {
                assertEquals(
                        t + "/" + f,
                        Distribution.rowsWithoutSeconds(whole.resolve(t).resolve(f)),
                        Distribution.rowsWithoutSeconds(killed.resolve(t).resolve(f)));
            }
        }
        assertEquals(
                "summary.json",
                Distribution.withoutSeconds(
                                JSON.readTree(whole.resolve("summary.json").toFile()))
                        .toString(),
                Distribution.withoutSeconds(
                                JSON.readTree(killed.resolve("summary.json").toFile()))
                        .toString());
        for (String csv : List.of("trials.csv", "curves.csv")) {
            assertEquals(csv, csvWithoutSeconds(whole.resolve(csv)), csvWithoutSeconds(killed.resolve(csv)));
        }
    }

    private static Process sweep(Path work, Path out) throws Exception {
        String name = out.getFileName().toString();
        return new ProcessBuilder(
                        Distribution.home().resolve("bin/mio").toString(),
                        "sweep",
                        work.resolve("sweep.json").toString(),
                        "--out",
                        out.toString())
                .directory(work.toFile())
                .redirectOutput(work.resolve(name + ".out").toFile())
                .redirectError(work.resolve(name + ".err").toFile())
                .start();
    }

    /** The furthest epoch any trial has written so far. */
    private static int maxEpoch(Path sweep) throws Exception {
        if (!Files.isDirectory(sweep)) {
            return 0;
        }
        int max = 0;
        try (Stream<Path> s = Files.list(sweep)) {
            for (Path t : s.toList()) {
                Path m = t.resolve("metrics.jsonl");
                if (Files.isRegularFile(m)) {
                    max = Math.max(max, (int) Files.readAllLines(m).stream()
                            .filter(l -> l.endsWith("}"))
                            .count());
                }
            }
        }
        return max;
    }

    private static List<String> csvWithoutSeconds(Path f) throws Exception {
        List<String> lines = Files.readAllLines(f);
        int col = Arrays.asList(lines.get(0).split(",")).indexOf("seconds");
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            List<String> cells = new ArrayList<>(Arrays.asList(l.split(",", -1)));
            if (col >= 0) {
                cells.remove(col);
            }
            if (!cells.contains("seconds")) { // curves.csv: a row per metric
                out.add(String.join(",", cells));
            }
        }
        return out;
    }
}
