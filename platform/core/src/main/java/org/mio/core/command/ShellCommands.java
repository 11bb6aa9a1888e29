package org.mio.core.command;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The mio commands in the Gogo shell: {@code mio:plugins}, {@code mio:presets},
 * {@code mio:run <experiment> [--set k=v]…}, {@code mio:resume <dir>}, {@code mio:sweep <sweep>} and
 * {@code mio:figures <dir> [--snapshots …]}. Gogo finds them by the
 * {@code osgi.command.*} properties; no Gogo class is needed.
 */
@Component(
        service = ShellCommands.class,
        property = {
            "osgi.command.scope=mio",
            "osgi.command.function=plugins",
            "osgi.command.function=presets",
            "osgi.command.function=run",
            "osgi.command.function=resume",
            "osgi.command.function=sweep",
            "osgi.command.function=figures"
        })
public final class ShellCommands {
    private final CommandLine cli;

    /** @param cli the command implementation */
    @Activate
    public ShellCommands(@Reference CommandLine cli) {
        this.cli = cli;
    }

    /** Lists installed plugins. */
    public void plugins() {
        cli.apply(new String[] {"plugins"});
    }

    /** Lists presets. */
    public void presets() {
        cli.apply(new String[] {"presets"});
    }

    /** Runs an experiment in the shell's thread. */
    public int run(String... args) {
        return cli.apply(prepend("run", args));
    }

    /** Runs a sweep in the shell's thread. */
    public int sweep(String... args) {
        return cli.apply(prepend("sweep", args));
    }

    /** Draws the figures and report of a run folder. */
    public int figures(String... args) {
        return cli.apply(prepend("figures", args));
    }

    /** Resumes a run folder. */
    public int resume(String... args) {
        return cli.apply(prepend("resume", args));
    }

    private static String[] prepend(String first, String[] rest) {
        String[] a = new String[rest.length + 1];
        a[0] = first;
        System.arraycopy(rest, 0, a, 1, rest.length);
        return a;
    }
}
