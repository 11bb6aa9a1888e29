package org.mio.core.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.mio.api.plugin.ConfigException;
import org.mio.api.run.RunOutcome;
import org.mio.api.run.RunRequest;
import org.mio.core.config.Criteria;
import org.mio.core.config.Json;
import org.mio.core.run.Provenance;
import org.mio.core.run.Runs;
import org.mio.core.train.MetricCatalog;

/**
 * {@code mio sweep}: runs every (condition, seed) trial of a sweep into its own run folder,
 * {@code parallelTrials} at a time with {@code threadsPerTrial} threads each. Started again on
 * the same folder it skips completed trials and resumes the others from their checkpoints. Ends
 * with the summary of {@link SweepSummary}.
 */
public final class SweepRunner {
    private SweepRunner() {}

    /**
     * One trial.
     *
     * @param overrides what the trial sets in the experiment (seed, threads, name, the condition's)
     * @param dir its run folder, {@code <out>/<condition>-<seed>}
     */
    public record Trial(String condition, long seed, List<String> overrides, Path dir) {
        /** {@code <condition>-<seed>}, the name of its folder. */
        public String label() {
            return condition + "-" + seed;
        }
    }

    /** Loads a sweep file. */
    public static SweepConfig load(Path file) throws IOException {
        String source = file.getFileName().toString();
        JsonNode node = Json.parse(Json.readUtf8(file), source);
        return Json.bind(node, SweepConfig.class, source, "");
    }

    /**
     * A sweep resolved against its output folder: every trial with its overrides and folder, and
     * what the summary needs. Building it loads and binds every trial's experiment, so a bad sweep
     * is rejected before anything runs.
     *
     * @param experiment the experiment the trials override (a preset name or an absolute file)
     * @param trials in the sweep's order: conditions, then seeds
     */
    public record Plan(
            SweepConfig cfg, String experiment, List<Trial> trials, MetricCatalog catalog, Criteria criteria) {
        /** The trials' labels ({@code <condition>-<seed>}, the names of their folders), in order. */
        public List<String> labels() {
            return trials.stream().map(Trial::label).toList();
        }
    }

    /** Resolves a sweep against {@code out}, checking every trial's experiment; writes nothing. */
    public static Plan plan(Runs service, SweepConfig cfg, Path sweepDir, Path out) {
        String experiment = cfg.experiment();
        if (sweepDir != null && Files.isRegularFile(sweepDir.resolve(experiment))) {
            experiment = sweepDir.resolve(experiment).toAbsolutePath().toString();
        }
        List<Trial> trials = new ArrayList<>();
        for (var c : cfg.conditions().entrySet()) {
            for (long seed : cfg.seeds()) {
                List<String> o = new ArrayList<>();
                o.add("seed=" + seed);
                o.add("threads=" + cfg.threadsPerTrial());
                o.add("name=" + cfg.name() + "-" + c.getKey() + "-" + seed);
                c.getValue().forEach((path, value) -> o.add(path + "=" + value.toString()));
                trials.add(new Trial(c.getKey(), seed, o, out.resolve(c.getKey() + "-" + seed)));
            }
        }
        MetricCatalog catalog = null;
        Criteria criteria = null;
        for (Trial t : trials) {
            var prepared = service.prepare(new RunRequest(experiment, t.overrides(), null, false));
            if (prepared.error() != null) {
                throw new ConfigException(
                        "trial " + t.label() + ": " + prepared.error().message());
            }
            if (catalog == null) {
                catalog = MetricCatalog.of(prepared.session());
                criteria = cfg.criteria() != null
                        ? cfg.criteria()
                        : prepared.session().experiment().config().criteria();
                checkMetrics(cfg, catalog, criteria);
            }
        }
        return new Plan(cfg, experiment, List.copyOf(trials), catalog, criteria);
    }

    /**
     * Runs the sweep into {@code out}: every trial not yet complete, then the summary.
     *
     * @return 0 if every trial completed, 4 if the sweep was stopped (its trials checkpointed; no
     *     summary), 1 otherwise
     */
    public static int run(Runs service, SweepConfig cfg, Path sweepDir, Path out, PrintStream log)
            throws IOException, InterruptedException {
        return run(service, plan(service, cfg, sweepDir, out), out, log);
    }

    /** {@link #run(Runs, SweepConfig, Path, Path, PrintStream)} of a plan already made against {@code out}. */
    public static int run(Runs service, Plan plan, Path out, PrintStream log) throws IOException, InterruptedException {
        int code = runTrials(service, plan, plan.trials(), out, log);
        if (code == 4) {
            return 4;
        }
        summarize(service, plan, out, log);
        return code;
    }

    /**
     * Runs some of a sweep's trials exactly as {@link #run} would (skipping completed ones,
     * resuming checkpointed ones), {@code parallelTrials} at a time, and writes no summary: what
     * one worker of a cluster does with its share.
     *
     * @return 0 if every one of them completed, 4 if any was stopped (checkpointed), 1 otherwise
     */
    public static int runTrials(Runs service, Plan plan, List<Trial> trials, Path out, PrintStream log)
            throws IOException, InterruptedException {
        SweepConfig cfg = plan.cfg();
        Files.createDirectories(out);
        List<Trial> todo = new ArrayList<>();
        int done = 0;
        for (Trial t : trials) {
            if ("COMPLETED".equals(status(t.dir()))) {
                done++;
            } else {
                todo.add(t);
            }
        }
        int parallel = Math.min(cfg.parallelTrials(), Math.max(1, todo.size()));
        log.printf(
                "sweep %s: %d trials%s, %d already complete, %d at a time × %d threads → %s%n",
                cfg.name(),
                trials.size(),
                trials.size() == plan.trials().size()
                        ? " (" + cfg.conditions().size() + " conditions × "
                                + cfg.seeds().size() + " seeds)"
                        : " of " + plan.trials().size(),
                done,
                parallel,
                cfg.threadsPerTrial(),
                out);
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        AtomicInteger finished = new AtomicInteger(done);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger aborted = new AtomicInteger();
        java.util.concurrent.atomic.DoubleAdder trialSeconds = new java.util.concurrent.atomic.DoubleAdder();
        AtomicInteger finishedHere = new AtomicInteger();
        String exp = plan.experiment();
        List<Future<?>> futures = new ArrayList<>();
        for (Trial t : todo) {
            futures.add(pool.submit(() -> {
                running.incrementAndGet();
                long t0 = System.nanoTime();
                boolean resume = Files.exists(t.dir().resolve("checkpoint/state.json"))
                        || Files.exists(t.dir().resolve("checkpoint.old/state.json"));
                if (!resume && Files.exists(t.dir())) {
                    org.mio.numerics.AtomicFiles.deleteTree(t.dir()); // died before its first checkpoint: start over
                }
                if (resume) {
                    synchronized (log) {
                        log.printf(
                                "trial %-16s resumes from its checkpoint at epoch %d%n",
                                t.label(), checkpointEpoch(t.dir()));
                    }
                }
                RunOutcome o = service.run(
                        resume
                                ? new RunRequest(t.dir().toString(), List.of(), null, true)
                                : new RunRequest(exp, t.overrides(), t.dir(), false),
                        quiet);
                running.decrementAndGet();
                int n = finished.incrementAndGet();
                int here = finishedHere.incrementAndGet();
                if (o.status() == RunOutcome.Status.ABORTED) {
                    aborted.incrementAndGet();
                } else if (o.status() != RunOutcome.Status.COMPLETED) {
                    failed.incrementAndGet();
                }
                trialSeconds.add((System.nanoTime() - t0) / 1e9);
                // mean trial time × the rounds still needed for the trials not finished
                double perTrial = trialSeconds.sum() / here;
                int left = trials.size() - n;
                double eta = perTrial * Math.ceil((double) left / parallel);
                synchronized (log) {
                    log.printf(
                            "trial %-16s %-9s %d/%d done, %d running, ETA %s%s%n",
                            t.label(),
                            o.status(),
                            n,
                            trials.size(),
                            running.get(),
                            org.mio.core.train.ProgressLine.duration(eta),
                            o.status() == RunOutcome.Status.COMPLETED ? "" : "  (" + o.message() + ")");
                }
                return null;
            }));
        }
        pool.shutdown();
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                failed.incrementAndGet();
                log.println("mio sweep: a trial failed: " + e.getCause());
            }
        }
        if (aborted.get() > 0) {
            // stopped (SIGTERM, Ctrl-C, a plugin gone): no summary of half a sweep; the trials
            // are checkpointed and the same command goes on with them
            log.println(
                    "sweep " + cfg.name() + " stopped: " + aborted.get() + " trial(s) checkpointed before their end");
            return 4;
        }
        return failed.get() == 0 ? 0 : 1;
    }

    /**
     * The trials of a plan as JSON, for a scheduler that runs them elsewhere ({@code mio sweep
     * --list}): the sweep's name, threads and parallel trials, and per trial its name, condition,
     * seed, folder and status ({@code COMPLETED}, {@code RUNNING}, {@code FAILED}, {@code ABORTED}
     * as its provenance says; {@code NEW} without one).
     */
    public static String listing(Plan plan) {
        var root = Json.object();
        root.put("sweep", plan.cfg().name());
        root.put("threadsPerTrial", plan.cfg().threadsPerTrial());
        root.put("parallelTrials", plan.cfg().parallelTrials());
        var arr = root.putArray("trials");
        for (Trial t : plan.trials()) {
            var o = arr.addObject();
            o.put("trial", t.label());
            o.put("condition", t.condition());
            o.put("seed", t.seed());
            o.put("dir", t.dir().toString());
            String status = status(t.dir());
            o.put("status", status.isEmpty() ? "NEW" : status);
        }
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the summary, tables, figures and report of the trials in {@code out}, whatever ran them. */
    public static void summarize(Runs service, Plan plan, Path out, PrintStream log) throws IOException {
        Files.createDirectories(out);
        SweepSummary.write(
                plan.cfg(),
                plan.catalog(),
                plan.criteria(),
                plan.trials(),
                out,
                service.renderer().orElse(null),
                log);
    }

    /** The epoch of a trial's last checkpoint, -1 if it cannot be read. */
    private static long checkpointEpoch(Path dir) {
        for (String c : new String[] {"checkpoint", "checkpoint.old"}) {
            Path state = dir.resolve(c).resolve("state.json");
            try {
                if (Files.exists(state)) {
                    return Json.parse(Files.readString(state), state.toString())
                            .path("epoch")
                            .asLong(-1);
                }
            } catch (IOException | RuntimeException e) {
                // a damaged checkpoint: the run's own resume says what it falls back to
            }
        }
        return -1;
    }

    /** Criteria and onsets must name metrics the trials produce (when their plugins describe them). */
    private static void checkMetrics(SweepConfig cfg, MetricCatalog catalog, Criteria criteria) {
        catalog.check(criteria, cfg.criteria() != null ? cfg.name() + ": criteria" : cfg.experiment() + ": criteria");
        if (!catalog.complete()) {
            return;
        }
        List<String> curves =
                catalog.curves().stream().map(org.mio.api.plugin.Metric::name).toList();
        for (int i = 0; i < cfg.onsets().size(); i++) {
            for (String m :
                    List.of(cfg.onsets().get(i).first(), cfg.onsets().get(i).then())) {
                if (!curves.contains(m)) {
                    throw new ConfigException(cfg.name() + ": onsets[" + i + "]: no curve metric '" + m
                            + "' in this experiment; its curves: " + String.join(", ", curves));
                }
            }
        }
    }

    static String status(Path dir) {
        return Provenance.status(dir);
    }
}
