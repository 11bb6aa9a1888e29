package org.mio.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.Test;

/**
 * A broken jar in plugins/ never makes start-up wait for it: the assembled distribution, run as
 * users run it, with a corrupt jar, a second copy of a plugin and a bundle whose requirements
 * nothing meets, names each in one line (no stack trace) and goes on with the others.
 */
public class BrokenPluginsIT {

    @Test
    public void brokenPluginJarsAreNamedOnceAndNotWaitedFor() throws Exception {
        Path home = Distribution.privateHome(Distribution.tempDir("mio-broken").resolve("home"));
        Path plugins = home.resolve("plugins");
        Files.writeString(plugins.resolve("corrupt.jar"), "not a jar");
        Path gru = Distribution.jars(plugins).stream()
                .filter(j -> j.getFileName().toString().startsWith("model-gru"))
                .findFirst()
                .orElseThrow();
        Files.copy(gru, plugins.resolve("zz-second-copy.jar"));
        Distribution.manifestJar(
                plugins.resolve("unresolvable.jar"),
                "Bundle-ManifestVersion",
                "2",
                "Bundle-SymbolicName",
                "org.example.needs-what-is-not-there",
                "Import-Package",
                "org.example.missing;version=\"[1,2)\"");

        Path err = home.resolve("err.txt");
        Path outFile = home.resolve("out.txt");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(home.resolve("bin/mio").toString(), "plugins")
                .redirectOutput(outFile.toFile())
                .redirectError(err.toFile())
                .start();
        if (!p.waitFor(50, TimeUnit.SECONDS)) {
            // where it hangs, for the failure message
            Path dump = home.resolve("threads.txt");
            String jstack =
                    Path.of(System.getProperty("java.home"), "bin", "jstack").toString();
            new ProcessBuilder(jstack, Long.toString(p.pid()))
                    .redirectOutput(dump.toFile())
                    .redirectErrorStream(true)
                    .start()
                    .waitFor(20, TimeUnit.SECONDS);
            p.destroyForcibly();
            System.err.println("BrokenPluginsIT: threads of the hanging mio:\n" + Files.readString(dump));
            throw new AssertionError("mio plugins did not end within 50 s; stderr: " + Files.readString(err)
                    + "; stdout: " + Files.readString(outFile));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<String> lines = Files.readAllLines(err, StandardCharsets.UTF_8);
        String all = String.join("\n", lines);
        assertEquals(all, 0, p.exitValue());
        assertEquals(all, 3, lines.size());
        assertTrue(all, lines.get(0).startsWith("mio: corrupt.jar ignored: not a readable jar"));
        assertTrue(all, lines.get(1).startsWith("mio: unresolvable.jar ignored: cannot be resolved: "));
        assertTrue(all, lines.get(1).contains("org.example.missing"));
        assertTrue(all, lines.get(2).startsWith("mio: zz-second-copy.jar ignored: a second copy of org.mio.model-gru"));
        // FileInstall's start-up wait is 60 s; a run that does not wait takes a few seconds
        assertTrue("mio plugins took " + seconds + " s", seconds < 30);
        String out = Files.readString(outFile);
        assertTrue(out, out.contains("gru") && out.contains("working-memory"));
    }
}
