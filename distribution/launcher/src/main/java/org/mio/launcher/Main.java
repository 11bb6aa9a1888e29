package org.mio.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * {@code mio}: starts the platform in an embedded Felix framework and runs one command, or keeps
 * it up with the Gogo shell. The distribution folder ({@code -Dmio.home}) holds {@code lib/}
 * (ND4J and friends, on the class path), {@code bundle/} (platform bundles, started at launch),
 * {@code bundle-shell/} (added for {@code shell}), {@code plugins/} (watched by FileInstall: drop a
 * plugin jar in to install it, delete it to remove it), {@code conf/mio.properties} (framework
 * properties) and {@code examples/} (experiment presets).
 *
 * <p>Exit status: the command's (0 done, 1 failed, 2 bad input, 4 aborted); 1 if the platform
 * itself could not start.
 */
public final class Main {
    private static final long START_TIMEOUT_MS = 60_000;

    /** Whether the command has been handed to the platform (after that, it reports a signal itself). */
    private static volatile boolean commandStarted;

    /** Whether the launcher is exiting on its own (not by a signal). */
    private static volatile boolean exiting;

    /** Whether a signal started the JVM's shutdown. */
    private static volatile boolean signalled;

    /** Counted down when the command has returned, its last lines printed. */
    private static final java.util.concurrent.CountDownLatch COMMAND_DONE = new java.util.concurrent.CountDownLatch(1);

    /**
     * How long a signalled command may take to return once its runs have stopped: printing its
     * last lines takes milliseconds; a command that is not a run (a bench) is not stopped by the
     * run service and ends with the framework after this wait.
     */
    private static final long COMMAND_WAIT_S = 5;

    private Main() {}

    /** Entry point. */
    public static void main(String[] argv) {
        boolean debug = Arrays.asList(argv).contains("--debug");
        int code;
        try {
            code = run(argv);
        } catch (Exception | LinkageError | StackOverflowError e) {
            if (signalled) {
                // the framework was stopped under the starting platform's feet: already said
                return;
            }
            // one line; the trace goes to the distribution's log folder (and here with --debug)
            Path home = Path.of(System.getProperty("mio.home", "."))
                    .toAbsolutePath()
                    .normalize();
            String where = writeTrace(home.resolve("logs"), e);
            System.err.println("mio: " + e + " (" + where + (debug ? ")" : "; --debug prints it here)"));
            if (debug) {
                e.printStackTrace();
            }
            code = 1;
        }
        System.out.flush();
        exiting = true;
        System.exit(code);
    }

    /** Why the platform did not start, unless a signal stopped it (then the hook has said so). */
    private static void startFailed(String message) {
        if (!signalled) {
            System.err.println(message);
        }
    }

    private static String writeTrace(Path logs, Throwable e) {
        java.io.StringWriter w = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(w));
        return writeText(logs, w.toString());
    }

    /** Writes a stack trace to a new file of the log folder; says where, or that it could not. */
    private static String writeText(Path logs, String trace) {
        try {
            Files.createDirectories(logs);
            Path f = Files.createTempFile(logs, "launcher-", ".log");
            Files.writeString(f, trace == null ? "(no trace given)" : trace);
            return "stack trace in " + f;
        } catch (IOException | RuntimeException io) {
            return "the stack trace could not be written";
        }
    }

    static int run(String[] argv) throws Exception {
        // --debug is the command's option; the launcher only needs to see past it
        String[] args = Arrays.stream(argv).filter(a -> !a.equals("--debug")).toArray(String[]::new);
        Path home =
                Path.of(System.getProperty("mio.home", ".")).toAbsolutePath().normalize();
        if (args.length > 0 && args[0].equals("assemble")) {
            return Assembler.command(Arrays.copyOfRange(args, 1, args.length), home);
        }
        if (SparkEngine.wanted(args)) {
            return SparkEngine.run(args, home);
        }
        boolean shell = args.length > 0 && args[0].equals("shell");
        if (!Files.isDirectory(home.resolve("bundle"))) {
            System.err.println("mio: " + home + " is not a mio distribution (no bundle/ folder); set -Dmio.home");
            return 1;
        }
        System.setProperty("mio.home", home.toString());
        // figures are drawn off screen; a machine without a display must not try to open one
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        Map<String, String> props = new HashMap<>();
        props.put("felix.fileinstall.dir", home.resolve("plugins").toString());
        props.put("felix.fileinstall.poll", "500");
        props.put("felix.fileinstall.noInitialDelay", "true");
        props.put("felix.fileinstall.bundles.new.start", "true");
        props.put("felix.fileinstall.log.level", "2");
        props.putAll(confProperties(home.resolve("conf/mio.properties")));
        if (!Arrays.asList(argv).contains("--debug")) {
            // SCR prints the stack trace of a component that fails to start; the launcher names it in
            // one line instead (ComponentFailures), and --debug lets SCR speak
            props.putIfAbsent("ds.loglevel", "0");
        }
        if (!shell) {
            // a one-shot command names every plugin jar that cannot start itself, in one line each
            props.put("felix.fileinstall.log.level", "0");
        }
        Files.createDirectories(home.resolve("plugins"));

        Framework fw = Frameworks.create(Frameworks.jars(home.resolve("lib")), props);
        Thread hook = new Thread(
                () -> {
                    signalled = !exiting;
                    if (!shell && !commandStarted && !exiting) {
                        // a signal (SIGTERM, Ctrl-C) while the platform starts: nothing ran, say so
                        System.err.println("mio: stopped before the command started; nothing was run or written");
                    }
                    if (!shell && commandStarted && !exiting) {
                        finishCommand(fw);
                    }
                    stop(fw);
                },
                "mio-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        fw.start();
        List<Path> platform = new ArrayList<>(Frameworks.jars(home.resolve("bundle")));
        if (shell) {
            platform.addAll(Frameworks.jars(home.resolve("bundle-shell")));
        }
        java.util.Set<Long> platformIds = new java.util.HashSet<>();
        try {
            Frameworks.installAndStart(fw, platform).forEach(b -> platformIds.add(b.getBundleId()));
        } catch (BundleException e) {
            startFailed("mio: the platform did not start: " + e.getMessage());
            stop(fw);
            return 1;
        }
        String token;
        try {
            token = DeploymentSettings.apply(fw.getBundleContext(), home, START_TIMEOUT_MS);
        } catch (Exception e) {
            startFailed("mio: the platform did not start: cannot configure it: " + e);
            stop(fw);
            return 1;
        }
        if (shell) {
            System.out.println(
                    "mio shell: mio:plugins, mio:presets, mio:run <experiment> [--set k=v]…, mio:resume <dir>;"
                            + " drop plugin jars into " + home.resolve("plugins") + "; 'stop 0' or Ctrl-D to leave");
            fw.waitForStop(0);
            return 0;
        }
        awaitPlugins(fw, home.resolve("plugins"));
        Function<String[], Integer> cli;
        try {
            cli = awaitCli(fw, token, platformIds, home.resolve("logs"));
        } catch (PlatformFailed e) {
            startFailed("mio: the platform did not start: " + e.getMessage());
            stop(fw);
            return 1;
        }
        if (cli == null) {
            startFailed("mio: the platform did not start (no mio command service after " + START_TIMEOUT_MS / 1000
                    + " s); bundles: " + states(fw));
            stop(fw);
            return 1;
        }
        // a plugin whose component failed is not there; say why once, the platform goes on without it
        for (ComponentFailures.Failure f : ComponentFailures.now(fw.getBundleContext())) {
            System.err.println("mio: " + f.bundle() + ": component " + f.component() + " did not start: " + f.reason()
                    + " (" + writeText(home.resolve("logs"), f.failure()) + "); the platform goes on without it");
        }
        commandStarted = true;
        int code;
        try {
            code = cli.apply(argv);
        } finally {
            COMMAND_DONE.countDown();
        }
        stop(fw);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down
        }
        return code;
    }

    /**
     * On a signal during a command: stops the core bundle first, whose run service then has its
     * runs finish (or cut) their epoch and checkpoint, and starts no new one, and waits for the
     * command to return. Its last lines (how to go on, a sweep's trials that did not start) are
     * so printed while the platform is still there to load their classes; stopping the whole
     * framework first deleted its bundle cache under the command, which then ended silently or
     * without them. Bounded: the run service waits for an epoch at most 2 min and 30 s, the
     * command then {@link #COMMAND_WAIT_S} s.
     */
    private static void finishCommand(Framework fw) {
        try {
            for (Bundle b : fw.getBundleContext().getBundles()) {
                if ("org.mio.core".equals(b.getSymbolicName()) && b.getState() == Bundle.ACTIVE) {
                    b.stop(Bundle.STOP_TRANSIENT);
                }
            }
            COMMAND_DONE.await(COMMAND_WAIT_S, java.util.concurrent.TimeUnit.SECONDS);
        } catch (BundleException | IllegalStateException e) {
            // the framework's own stop follows
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void stop(Framework fw) {
        Frameworks.stopAndClean(fw);
    }

    /**
     * Waits until FileInstall has started every jar of the watched folder (it works
     * asynchronously), but not for jars that cannot start: one that is not a readable bundle or
     * is a second copy (checked up front), or one whose requirements no bundle meets (its
     * resolution fails). Each of those is named once on stderr, with the reason, and the platform
     * goes on without it.
     */
    private static void awaitPlugins(Framework fw, Path plugins) throws IOException, InterruptedException {
        PluginJars.Checked checked = PluginJars.check(Frameworks.jars(plugins));
        Map<Path, String> problems = new java.util.TreeMap<>(checked.problems()); // named in file order
        List<PluginJars.Jar> waiting = new ArrayList<>(checked.bundles());
        FrameworkWiring wiring = fw.adapt(FrameworkWiring.class);
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (!waiting.isEmpty() && System.currentTimeMillis() < deadline) {
            for (java.util.Iterator<PluginJars.Jar> it = waiting.iterator(); it.hasNext(); ) {
                PluginJars.Jar jar = it.next();
                Path j = jar.jar();
                // by name and version: of two copies FileInstall installs whichever it sees first
                Bundle b = bundleOf(fw, jar);
                if (b == null) {
                    continue; // not installed yet
                }
                boolean fragment = b.getHeaders().get(Constants.FRAGMENT_HOST) != null;
                if (b.getState() == Bundle.ACTIVE || fragment && b.getState() == Bundle.RESOLVED) {
                    it.remove();
                } else if (b.getState() == Bundle.INSTALLED && !wiring.resolveBundles(List.of(b))) {
                    problems.put(j, "cannot be resolved: " + unresolved(b));
                    it.remove();
                }
            }
            if (!waiting.isEmpty()) {
                Thread.sleep(50);
            }
        }
        problems.forEach((j, why) -> System.err.println("mio: " + plugins.relativize(j) + " ignored: " + why));
        for (PluginJars.Jar j : waiting) {
            System.err.println("mio: " + plugins.relativize(j.jar()) + " did not start within "
                    + START_TIMEOUT_MS / 1000 + " s; bundles: " + states(fw));
        }
    }

    private static Bundle bundleOf(Framework fw, PluginJars.Jar jar) {
        for (Bundle b : fw.getBundleContext().getBundles()) {
            if (jar.symbolicName().equals(b.getSymbolicName()) && jar.version().equals(b.getVersion())) {
                return b;
            }
        }
        return null;
    }

    /** The first line of the framework's reason, e.g. the missing requirement. */
    private static String unresolved(Bundle b) {
        try {
            b.start(Bundle.START_TRANSIENT);
            return "(it resolved after all)";
        } catch (BundleException e) {
            String m = String.valueOf(e.getMessage());
            int nl = m.indexOf('\n');
            return nl < 0 ? m : m.substring(0, nl);
        }
    }

    /** A component of the platform itself failed: the command service will never come. */
    private static final class PlatformFailed extends Exception {
        private static final long serialVersionUID = 1L;

        PlatformFailed(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The command service once it is configured with {@code token}; {@code null} after the
     * start-up timeout.
     *
     * @throws PlatformFailed as soon as a component of a platform bundle fails to activate (e.g.
     *     ND4J cannot allocate its first buffers), instead of waiting out the timeout
     */
    @SuppressWarnings("unchecked")
    private static Function<String[], Integer> awaitCli(
            Framework fw, String token, java.util.Set<Long> platformIds, Path logs) throws Exception {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        long nextCheck = 0;
        while (System.currentTimeMillis() < deadline) {
            if (System.currentTimeMillis() >= nextCheck) {
                for (ComponentFailures.Failure f : ComponentFailures.now(fw.getBundleContext())) {
                    if (platformIds.contains(f.bundleId())) {
                        throw new PlatformFailed("component " + f.component() + " of " + f.bundle() + " failed: "
                                + f.reason() + " (" + writeText(logs, f.failure()) + ")");
                    }
                }
                nextCheck = System.currentTimeMillis() + 200;
            }
            ServiceReference<?>[] refs = fw.getBundleContext()
                    .getServiceReferences(Function.class.getName(), "(&(mio.cli=true)(mio.launch=" + token + "))");
            if (refs != null && refs.length > 0) {
                Object cli = fw.getBundleContext().getService(refs[0]);
                if (cli != null) { // null: unregistered since it was listed
                    return (Function<String[], Integer>) cli;
                }
            }
            Thread.sleep(20);
        }
        return null;
    }

    private static String states(Framework fw) {
        StringBuilder sb = new StringBuilder();
        for (Bundle b : fw.getBundleContext().getBundles()) {
            if (b.getBundleId() == 0) {
                continue;
            }
            String state = switch (b.getState()) {
                case Bundle.ACTIVE -> "active";
                case Bundle.RESOLVED -> "resolved";
                case Bundle.INSTALLED -> "INSTALLED (unresolved)";
                case Bundle.STARTING -> "starting";
                default -> "state " + b.getState();
            };
            sb.append(sb.isEmpty() ? "" : ", ")
                    .append(b.getSymbolicName())
                    .append(' ')
                    .append(state);
        }
        return sb.toString();
    }

    private static Map<String, String> confProperties(Path file) throws IOException {
        Map<String, String> out = new HashMap<>();
        if (Files.isRegularFile(file)) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            }
            p.forEach((k, v) -> out.put(k.toString(), v.toString()));
        }
        return out;
    }
}
