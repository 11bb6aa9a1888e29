package org.mio.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.mio.api.run.ExperimentService;
import org.mio.api.run.PluginInfo;
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

/** Plugins come and go while the platform is up. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HotSwapIT {

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

    private String fixtureVersion() {
        return experiments.plugins().stream()
                .filter(p -> p.kind().equals("fixture-task"))
                .map(PluginInfo::version)
                .findFirst()
                .orElse("none");
    }

    private static String taskBundleVersion(Path run) throws Exception {
        var prov = new ObjectMapper().readTree(run.resolve("provenance.json").toFile());
        for (var b : prov.get("bundles")) {
            if (b.path("role").asText().equals("task")) {
                return b.get("version").asText();
            }
        }
        return "none";
    }

    @Test
    public void anUpdatedPluginServesTheNextRun() throws Exception {
        Path dir = Distribution.tempDir("mio-it");
        Path exp = Distribution.fixtureExperiment(dir, 2);
        Bundle fixture = ctx.installBundle("fixture:hot-swap", Distribution.fixture("1.0.0", "v1", 0));
        fixture.start();
        try {
            assertEquals("1.0.0", fixtureVersion());
            RunOutcome first = experiments.run(new RunRequest(exp.toString(), List.of(), dir.resolve("one"), false));
            assertEquals(first.message(), RunOutcome.Status.COMPLETED, first.status());
            assertEquals("1.0.0", taskBundleVersion(first.runDir()));
            assertTrue(Files.readString(first.runDir().resolve("metrics.jsonl")).contains("score_v1"));

            fixture.update(Distribution.fixture("2.0.0", "v2", 0));
            CompletableFuture<Void> refreshed = new CompletableFuture<>();
            ctx.getBundle(0)
                    .adapt(FrameworkWiring.class)
                    .refreshBundles(List.of(fixture), e -> refreshed.complete(null));
            refreshed.get(30, TimeUnit.SECONDS);
            assertEquals("2.0.0", fixtureVersion());

            RunOutcome second = experiments.run(new RunRequest(exp.toString(), List.of(), dir.resolve("two"), false));
            assertEquals(second.message(), RunOutcome.Status.COMPLETED, second.status());
            assertEquals("2.0.0", taskBundleVersion(second.runDir()));
            assertTrue(
                    Files.readString(second.runDir().resolve("metrics.jsonl")).contains("score_v2"));
        } finally {
            fixture.uninstall();
        }
        assertEquals("none", fixtureVersion());
    }

    @Test
    public void aRunWhosePluginGoesAwayEndsWithAMessageAndThePlatformStaysUp() throws Exception {
        Path dir = Distribution.tempDir("mio-it");
        Path exp = Distribution.fixtureExperiment(dir, 10_000);
        Bundle fixture = ctx.installBundle("fixture:slow", Distribution.fixture("1.0.0", "slow", 20));
        fixture.start();
        Path runDir = dir.resolve("gone");
        CompletableFuture<RunOutcome> run = CompletableFuture.supplyAsync(
                () -> experiments.run(new RunRequest(exp.toString(), List.of(), runDir, false)));
        long deadline = System.currentTimeMillis() + 30_000;
        while (!Files.exists(runDir.resolve("metrics.jsonl")) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertTrue("the run started", Files.exists(runDir.resolve("metrics.jsonl")));
        fixture.uninstall();
        RunOutcome o = run.get(30, TimeUnit.SECONDS);
        assertEquals(o.message(), RunOutcome.Status.ABORTED, o.status());
        assertTrue(o.message(), o.message().contains("(bundle org.mio.itest.fixture 1.0.0) went away during the run"));
        assertTrue(o.message(), o.message().contains("resume with: mio resume " + runDir));
        assertTrue(Files.exists(runDir.resolve("checkpoint/state.json")));
        var prov = new ObjectMapper().readTree(runDir.resolve("provenance.json").toFile());
        assertEquals("ABORTED", prov.get("status").asText());
        // the platform keeps serving
        assertTrue(experiments.plugins().stream().anyMatch(p -> p.kind().equals("working-memory")));
        assertTrue(experiments.plugins().stream().noneMatch(p -> p.kind().startsWith("fixture")));
    }
}
