package org.mio.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Test;
import org.mio.launcher.Assembler;

/** Custom distributions: a descriptor that leaves out a needed bundle fails at assembly, naming it. */
public class AssembleIT {

    private static int assemble(Path descriptor, Path out, ByteArrayOutputStream err) throws Exception {
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true));
        try {
            return Assembler.command(
                    new String[] {descriptor.toString(), "--out", out.toString()}, Distribution.home());
        } finally {
            System.setErr(old);
        }
    }

    @Test
    public void aSubsetThatResolvesIsAssembled() throws Exception {
        Path dir = Distribution.tempDir("mio-assemble");
        String std = Files.readString(Distribution.home().resolve("distribution.descriptor"));
        Path d = dir.resolve("wm-only.descriptor");
        Files.writeString(d, std.replace("plugin org.mio.analysis-wm\n", ""));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(err.toString(), 0, assemble(d, dir.resolve("dist"), err));
        long plugins = std.lines().filter(l -> l.startsWith("plugin ")).count();
        assertEquals(
                "every plugin of the standard descriptor but analysis-wm",
                plugins - 1,
                Distribution.jars(dir.resolve("dist/plugins")).size());
        assertTrue(Distribution.jars(dir.resolve("dist/plugins")).stream()
                .noneMatch(j -> j.getFileName().toString().startsWith("analysis-wm")));
        assertTrue(Files.isExecutable(dir.resolve("dist/bin/mio")));
        assertTrue(Files.exists(dir.resolve("dist/examples/wm-paper.json")));
        assertTrue("the Spark job jar comes along", Files.exists(dir.resolve("dist/spark/mio-spark.jar")));
    }

    /**
     * The example descriptor {@code examples/wm-smile.descriptor}: the working-memory plugins and
     * SMILE only. Its distribution lists exactly those plugins and runs {@code wm-quick-smile}
     * (shrunk as {@link PresetsIT} shrinks it) to the end, from its own {@code bin/mio}.
     */
    @Test
    public void theWorkingMemoryAndSmileExampleAssemblesAndRuns() throws Exception {
        Path dir = Distribution.tempDir("mio-assemble");
        Path dist = dir.resolve("wm-smile");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(
                err.toString(), 0, assemble(Distribution.home().resolve("examples/wm-smile.descriptor"), dist, err));
        String plugins = Distribution.mio(dist, dir, "plugins");
        for (String kind : new String[] {"working-memory", "leaky-rnn", "smile", "functional-modularity"}) {
            assertTrue(plugins, plugins.contains(kind));
        }
        for (String absent : new String[] {"mine", "gru", "lorenz-rossler", "gaussian"}) {
            // a line of 'mio plugins' is: <type> <kind> <bundle> <version>
            assertTrue(plugins, plugins.lines().noneMatch(l -> l.matches("\\S+\\s+" + absent + "\\s.*")));
        }
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("run", "wm-quick-smile"));
        java.util.List<String> sets =
                new java.util.ArrayList<>(PresetsIT.SHRUNK.get("working-memory").overrides());
        sets.addAll(PresetsIT.ESTIMATOR_SHRUNK.get("smile"));
        for (String s : sets) {
            args.add("--set");
            args.add(s);
        }
        args.add("--out");
        args.add(dir.resolve("run").toString());
        Distribution.mio(dist, dir, args.toArray(String[]::new));
        assertTrue(Files.readString(dir.resolve("run/provenance.json")).contains("org.mio.estimator-smile"));
        assertTrue(Files.readString(dir.resolve("run/provenance.json")).contains("\"COMPLETED\""));
    }

    @Test
    public void aMissingRequirementFailsAssemblyAndWritesNothing() throws Exception {
        Path dir = Distribution.tempDir("mio-assemble");
        String std = Files.readString(Distribution.home().resolve("distribution.descriptor"));
        Path d = dir.resolve("broken.descriptor");
        Files.writeString(
                d,
                std.replace("platform com.fasterxml.jackson.core.jackson-databind\n", "")
                        .replace("platform org.mio.numerics\n", ""));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, assemble(d, dir.resolve("dist"), err));
        String msg = err.toString();
        assertTrue(msg, msg.contains("does not make a working distribution"));
        assertTrue(msg, msg.contains("org.mio.core") && msg.contains("com.fasterxml.jackson.databind"));
        assertTrue(msg, msg.contains("org.mio.numerics"));
        assertTrue(!Files.exists(dir.resolve("dist")));
    }

    @Test
    public void anUnknownBundleIsNamedWithItsLine() throws Exception {
        Path dir = Distribution.tempDir("mio-assemble");
        Path d = dir.resolve("typo.descriptor");
        Files.writeString(d, "# one line\nplugin org.mio.no-such-plugin\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, assemble(d, dir.resolve("dist"), err));
        assertTrue(err.toString(), err.toString().contains("typo.descriptor:2: no bundle org.mio.no-such-plugin in"));
    }
}
