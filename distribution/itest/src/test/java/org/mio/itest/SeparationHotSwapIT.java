package org.mio.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.mio.api.run.ExperimentService;
import org.mio.api.run.RunOutcome;
import org.mio.api.run.RunRequest;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * The separation experiment's own plugins, the GRU ({@code org.mio.model-gru}) and the
 * Lorenz/Rössler task ({@code org.mio.task-lorenz-rossler}), hot-swap like every plugin: taken
 * away, their kinds disappear and a run names what is missing; replaced (updated from their jars
 * and refreshed), they serve the next run, which equals the one before to the bit; a GRU that goes
 * away in the middle of a run ends it with a checkpoint and a message, and the platform stays up.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SeparationHotSwapIT {
    /** sep-quick shrunk to seconds, as PresetsIT runs it (but for the epochs). */
    static final List<String> SHRUNK = java.util.stream.Stream.concat(
                    PresetsIT.SHRUNK.get("lorenz-rossler").overrides().stream(),
                    PresetsIT.ESTIMATOR_SHRUNK.get("mine").stream())
            .filter(o -> !o.startsWith("training.epochs="))
            .toList();

    @Inject
    BundleContext ctx;

    ExperimentService experiments;

    @Before
    public void configure() throws Exception {
        experiments = Distribution.configured(ctx);
    }

    @Configuration
    public Option[] config() throws Exception {
        return Distribution.options();
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle b : ctx.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError(symbolicName + " is not installed");
    }

    private boolean kindPresent(String kind) {
        return experiments.plugins().stream().anyMatch(p -> p.kind().equals(kind));
    }

    private RunOutcome run(Path out, int epochs) {
        List<String> o = new ArrayList<>(SHRUNK);
        o.add("training.epochs=" + epochs);
        return experiments.run(new RunRequest("sep-quick", o, out, false));
    }

    @Test
    public void theGruAndTheSeparationTaskHotSwap() throws Exception {
        Path dir = Distribution.tempDir("mio-sep-swap");
        Bundle gru = bundle("org.mio.model-gru");
        Bundle task = bundle("org.mio.task-lorenz-rossler");
        RunOutcome before = run(dir.resolve("before"), 2);
        assertEquals(before.message(), RunOutcome.Status.COMPLETED, before.status());

        gru.stop();
        task.stop();
        assertTrue("the gru kind is gone", !kindPresent("gru"));
        assertTrue("the lorenz-rossler kind is gone", !kindPresent("lorenz-rossler"));
        RunOutcome missing = run(dir.resolve("missing"), 2);
        assertEquals(missing.message(), RunOutcome.Status.MISSING_PLUGIN, missing.status());
        assertTrue(missing.message(), missing.message().contains("task plugin 'lorenz-rossler' is not installed"));
        assertTrue("nothing written for a run that cannot start", !Files.exists(dir.resolve("missing")));

        // replace both from their jars, as dropping a new build into plugins/ does
        gru.update();
        task.update();
        CompletableFuture<Void> refreshed = new CompletableFuture<>();
        ctx.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(List.of(gru, task), e -> refreshed.complete(null));
        refreshed.get(60, TimeUnit.SECONDS);
        gru.start();
        task.start();
        long deadline = System.currentTimeMillis() + 30_000;
        while (!(kindPresent("gru") && kindPresent("lorenz-rossler")) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        RunOutcome after = run(dir.resolve("after"), 2);
        assertEquals(after.message(), RunOutcome.Status.COMPLETED, after.status());
        for (String f : List.of("metrics.jsonl", "analysis.jsonl")) {
            assertEquals(
                    f + " of the same experiment on the replaced plugins",
                    Distribution.rowsWithoutSeconds(before.runDir().resolve(f)),
                    Distribution.rowsWithoutSeconds(after.runDir().resolve(f)));
        }

        // the GRU goes away in the middle of a run
        Path gone = dir.resolve("gone");
        CompletableFuture<RunOutcome> running = CompletableFuture.supplyAsync(() -> run(gone, 100_000));
        deadline = System.currentTimeMillis() + 60_000;
        while (!Files.exists(gone.resolve("metrics.jsonl")) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertTrue("the run started", Files.exists(gone.resolve("metrics.jsonl")));
        gru.stop();
        RunOutcome o = running.get(60, TimeUnit.SECONDS);
        assertEquals(o.message(), RunOutcome.Status.ABORTED, o.status());
        assertTrue(
                o.message(),
                o.message().contains("org.mio.model-gru") && o.message().contains("went away"));
        assertTrue(o.message(), o.message().contains("resume with: mio resume " + gone));
        assertTrue(Files.exists(gone.resolve("checkpoint/state.json")));
        gru.start();
        deadline = System.currentTimeMillis() + 30_000;
        while (!kindPresent("gru") && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertTrue("the platform serves the GRU again", kindPresent("gru"));
    }
}
