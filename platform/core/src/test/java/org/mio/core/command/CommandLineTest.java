package org.mio.core.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mio.core.registry.PluginRegistry;
import org.mio.core.standins.StandIns;

/** The usage goes to stdout when asked for and to stderr, with status 2, when the command is missing. */
class CommandLineTest {
    @TempDir
    Path dir;

    @Test
    void usageOnRequestOrAsAnError() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine cli = new CommandLine(
                new ExperimentServiceImpl(new PluginRegistry(), new StandIns.StubNumerics(), TestSettings.in(dir)),
                new PrintStream(out, true),
                new PrintStream(err, true));
        assertEquals(2, cli.apply(new String[0]));
        assertTrue(err.toString().startsWith("usage: mio <command>"), err.toString());
        assertEquals("", out.toString());
        err.reset();
        assertEquals(0, cli.apply(new String[] {"help"}));
        assertTrue(out.toString().startsWith("usage: mio <command>"), out.toString());
        assertEquals("", err.toString());
        assertEquals(2, cli.apply(new String[] {"frobnicate"}));
        assertTrue(err.toString().startsWith("mio: unknown command 'frobnicate'"), err.toString());
    }
}
