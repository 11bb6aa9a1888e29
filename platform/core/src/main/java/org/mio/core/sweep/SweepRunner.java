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

    /** One trial. */
    record Trial(String condition, long seed, List<String> overrides, Path dir) {
        String label() {
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
     * Runs the sweep into {@code out}.
     *
     * @return 0 if every trial completed, 4 if the sweep was stopped (its trials checkpointed; no
     *     summary), 1 otherwise
     */
    public static int run(Runs service, SweepConfig cfg, Path sweepDir, Path out, PrintStream log)
            throws IOException, InterruptedException {
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
        // a bad sweep is rejected before anything runs: every trial's experiment must load and bind
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
        log.printf(
                "sweep %s: %d trials (%d conditions × %d seeds), %d already complete, %d at a time × %d threads → %s%n",
                cfg.name(),
                trials.size(),
                cfg.conditions().size(),
                cfg.seeds().size(),
                done,
                cfg.parallelTrials(),
                cfg.threadsPerTrial(),
                out);
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        ExecutorService pool = Executors.newFixedThreadPool(cfg.parallelTrials());
        AtomicInteger finished = new AtomicInteger(done);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger aborted = new AtomicInteger();
        java.util.concurrent.atomic.DoubleAdder trialSeconds = new java.util.concurrent.atomic.DoubleAdder();
        AtomicInteger finishedHere = new AtomicInteger();
        String exp = experiment;
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
                double eta = perTrial * Math.ceil((double) left / cfg.parallelTrials());
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
        SweepSummary.write(
                cfg, catalog, criteria, trials, out, service.renderer().orElse(null), log);
        return failed.get() == 0 ? 0 : 1;
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
