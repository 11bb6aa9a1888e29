package org.mio.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import javax.inject.Inject;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.mio.api.run.ExperimentService;
import org.mio.api.run.PluginInfo;
import org.mio.api.run.RunOutcome;
import org.mio.api.run.RunRequest;
import org.mio.api.task.Task;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

/** The standard distribution in a real Felix: everything resolves and starts, services appear, bad input is rejected. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PlatformIT {

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

    @Test
    public void everyDistributionBundleIsActive() throws Exception {
        List<Path> expected =
                new java.util.ArrayList<>(Distribution.jars(Distribution.home().resolve("bundle")));
        expected.addAll(Distribution.jars(Distribution.home().resolve("plugins")));
        int checked = 0;
        for (Bundle b : ctx.getBundles()) {
            for (Path p : expected) {
                if (b.getLocation().equals(p.toUri().toString())) {
                    assertEquals(b.getSymbolicName() + " state", Bundle.ACTIVE, b.getState());
                    checked++;
                }
            }
        }
        assertEquals(expected.size(), checked);
    }

    @Test
    public void pluginServicesCarryTheirKind() throws Exception {
        ServiceReference<?>[] refs = ctx.getServiceReferences(Task.class.getName(), "(mio.task.kind=working-memory)");
        assertNotNull("working-memory task service", refs);
        assertEquals("org.mio.task-working-memory", refs[0].getBundle().getSymbolicName());
        List<PluginInfo> plugins = experiments.plugins();
        assertTrue(
                plugins.toString(),
                plugins.stream()
                        .anyMatch(p -> p.type().equals("task") && p.kind().equals("working-memory")));
        ServiceReference<?>[] cli = ctx.getServiceReferences(Function.class.getName(), "(mio.cli=true)");
        assertNotNull("command service for the launcher", cli);
        assertNotNull(ctx.getServiceReferences("org.mio.numerics.Numerics", null));
        assertEquals(
                "mio",
                ctx.getServiceReferences((String) null, "(osgi.command.scope=mio)")[0].getProperty(
                        "osgi.command.scope"));
        assertTrue(Long.valueOf(1) <= (Long) refs[0].getProperty(Constants.SERVICE_ID));
    }

    @Test
    public void badExperimentsGetOneLineAndNoRunFolder() throws Exception {
        Path dir = Distribution.tempDir("mio-it");
        Path f = Distribution.fixtureExperiment(dir, 1);
        Files.writeString(f, Files.readString(f).replace("\"seed\": 3,", "\"seed\": 3, \"sed\": 4,"));
        RunOutcome o = experiments.run(new RunRequest(f.toString(), List.of(), dir.resolve("run"), false));
        assertEquals(RunOutcome.Status.INVALID, o.status());
        assertTrue(
                o.message(),
                o.message()
                        .startsWith(
                                "fixture.json: sed is not a known key; allowed here: analysis, criteria, dataType,"));
        RunOutcome missing = experiments.run(
                new RunRequest("wm-paper", List.of("model.kind=no-such-model"), dir.resolve("run"), false));
        assertEquals(RunOutcome.Status.MISSING_PLUGIN, missing.status());
        assertTrue(
                missing.message(),
                missing.message()
                        .startsWith("wm-paper.json: model.kind: model plugin 'no-such-model' is not installed"));
        assertTrue(!Files.exists(dir.resolve("run")));
    }
}
