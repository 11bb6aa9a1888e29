package org.mio.core.command;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.mio.api.run.PluginInfo;
import org.mio.api.run.RunOutcome;
import org.mio.api.run.RunRequest;
import org.mio.core.run.ErrorLog;
import org.mio.core.run.IoErrors;
import org.mio.core.run.Runs;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code mio} commands. Registered under the JDK type {@link Function} with the property
 * {@code mio.cli=true} so that the launcher, which lives on the class path outside the
 * framework, can call it without sharing any mio class; also used by the Gogo commands.
 * Returns the process exit status: 0 done, 1 failed, 2 bad input (config, missing plugin),
 * 4 aborted. It shares the deployment {@link Settings} of the run service, so that the service
 * properties of the configuration (e.g. the launcher's {@code mio.launch} token) show that both
 * are configured.
 */
@Component(
        service = {Function.class, CommandLine.class},
        property = "mio.cli=true",
        configurationPid = Settings.PID)
public final class CommandLine implements Function<String[], Integer> {
    static final String USAGE = String.join(
            "\n",
            "usage: mio <command> [arguments]",
            "  run <experiment.json | preset> [--set path=value]... [--out DIR] [--threads N]",
            "                       run one experiment into a new run folder",
            "  resume <run folder>  continue a stopped run from its last checkpoint",
            "  figures <run folder> [--snapshots final|all|E1,E2,...]",
            "                       (re)draw a run's figures (PNG, SVG) and report.html; default: the final snapshot",
            "  analyze <run folder> run the experiment's analyzers again on every snapshot (e.g. after an",
            "                       analyzer gained curves); rewrites analysis.csv, summary.json and the figures",
            "  plugins              list installed tasks, models, estimators and analyzers",
            "  presets              list the experiment presets of this distribution",
            "  sweep <sweep.json | preset> [--out DIR]   seeds × conditions in parallel, resumable, with a summary",
            "        [--list | --trial NAME… | --summary-only]   list the trials as JSON; run only these (no summary);"
                    + " summarize what is there",
            "  grad --experiment X --inputs FILE.npy --targets FILE.npy [--state FILE.npy] [--rows FILE.npy] [--perm FILE.npy]",
            "       [--params DIR] --out DIR  loss terms and exact gradients for given weights and data (docs/grad.md)",
            "  sample <experiment.json | preset> [--set path=value]... --out DIR",
            "                       a training and the test batch of the task as .npy (with the task's raw data)",
            "  estimate --estimator KIND --x X.npy --y Y.npy [--set param=value]... [--steps N] [--batch N]",
            "       [--holdout F] [--seed N] [--threads N] [--json] [--out DIR]",
            "                       an estimator's Î(X;Y) of your samples: '<kind>: <estimate> nats ± <spread>'",
            "  bench [experiment] [--set path=value]... [--repeat N]",
            "                       time the schedule's steps against a float32 GEMM (default: wm-paper)",
            "  shell                keep the platform up with the Gogo shell (hot deploy into plugins/)",
            "  assemble <descriptor> --out DIR [--pool DIR]...   build a custom distribution",
            "options of every command:",
            "  --debug              print stack traces here too (they always go to mio.log in the run folder,",
            "                       or to a file in the distribution's logs/)");

    /** Where a usage error sends the user, instead of the whole usage in the middle of the message. */
    private static final String HELP = " ('mio help' shows the usage)";

    private final Runs experiments;
    private final PrintStream out;
    private final PrintStream err;

    /** @param experiments the run service */
    @Activate
    public CommandLine(@Reference Runs experiments) {
        this(experiments, System.out, System.err);
    }

    /** New deployment settings change this component's service properties only. */
    @Modified
    void modified() {
        // the settings are the run service's; this component only carries their properties
    }

    CommandLine(Runs experiments, PrintStream out, PrintStream err) {
        this.experiments = experiments;
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer apply(String[] argv) {
        boolean debug = false;
        List<String> kept = new ArrayList<>();
        for (String a : argv) {
            if (a.equals("--debug")) {
                debug = true;
            } else {
                kept.add(a);
            }
        }
        String[] args = kept.toArray(String[]::new);
        if (args.length == 0) {
            err.println(USAGE); // a missing command is a usage error: stderr, status 2
            return 2;
        }
        if (args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            out.println(USAGE);
            return 0;
        }
        String cmd = args[0];
        List<String> rest = List.of(args).subList(1, args.length);
        try {
            return switch (cmd) {
                case "plugins" -> plugins();
                case "presets" -> {
                    experiments.presets().forEach(out::println);
                    yield 0;
                }
                case "run" -> run(rest, false, debug);
                case "bench" -> bench(rest);
                case "grad" -> grad(rest);
                case "sample" -> sample(rest);
                case "estimate" -> estimate(rest);
                case "sweep" -> sweep(rest);
                case "resume" -> run(rest, true, debug);
                case "figures" -> figures(rest, debug);
                case "analyze" -> analyze(rest, debug);
                default -> {
                    err.println("mio: unknown command '" + cmd + "'; 'mio help' lists the commands");
                    yield 2;
                }
            };
        } catch (UsageException e) {
            err.println("mio " + cmd + ": " + e.getMessage());
            return 2;
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            // a defect, not a user's mistake: one line here, the trace in the log folder
            Path log = ErrorLog.append(ErrorLog.fileIn(experiments.logsRoot()), "mio " + String.join(" ", args), e);
            err.println("mio " + cmd + ": internal error: " + e + " (" + ErrorLog.where(log)
                    + (debug ? ")" : "; --debug prints it here)"));
            if (debug) {
                e.printStackTrace(err);
            }
            return 1;
        }
    }

    /** With {@code --debug}: the traces a command appended to a run folder's log. */
    private void printTraces(boolean debug, Path runDir, long mark) {
        if (debug && runDir != null) {
            err.print(ErrorLog.since(runDir.resolve(ErrorLog.RUN_LOG), mark));
        }
    }

    private int plugins() {
        List<PluginInfo> list = experiments.plugins();
        if (list.isEmpty()) {
            out.println("no plugins installed (drop plugin bundles into plugins/)");
            return 0;
        }
        int wt = 9;
        int wk = 4;
        int wb = 6;
        for (PluginInfo p : list) {
            wk = Math.max(wk, p.kind().length());
            wb = Math.max(wb, p.bundle().length());
        }
        String fmt = "%-" + wt + "s  %-" + wk + "s  %-" + wb + "s  %s%n";
        out.printf(fmt, "TYPE", "KIND", "BUNDLE", "VERSION");
        for (PluginInfo p : list) {
            out.printf(fmt, p.type(), p.kind(), p.bundle(), p.version());
        }
        return 0;
    }

    private int run(List<String> args, boolean resume, boolean debug) {
        String target = null;
        Path outDir = null;
        List<String> sets = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--set" -> sets.add(value(args, ++i, "--set needs path=value"));
                case "--out" -> outDir = Path.of(value(args, ++i, "--out needs a folder"));
                case "--threads" ->
                    sets.add("threads=" + wholeNumber(value(args, ++i, "--threads needs a number ≥ 1"), "--threads"));
                default -> {
                    if (a.startsWith("--set=")) {
                        sets.add(a.substring(6));
                    } else if (a.startsWith("-")) {
                        throw new UsageException("unknown option " + a + HELP);
                    } else if (target == null) {
                        target = a;
                    } else {
                        throw new UsageException("one experiment at a time, found '" + target + "' and '" + a + "'");
                    }
                }
            }
        }
        if (target == null) {
            throw new UsageException(
                    resume
                            ? "which run folder? e.g. mio resume runs/wm-quick-20261127-101500"
                            : "which experiment? a JSON file or a preset: " + String.join(", ", experiments.presets()));
        }
        if (resume && outDir != null) {
            throw new UsageException("resume writes into the run folder itself; --out is not allowed");
        }
        long mark = resume ? ErrorLog.mark(Path.of(target).resolve(ErrorLog.RUN_LOG)) : 0;
        RunOutcome o = experiments.run(new RunRequest(target, sets, outDir, resume), out);
        PrintStream stream = o.status() == RunOutcome.Status.COMPLETED ? out : err;
        stream.println((o.status() == RunOutcome.Status.COMPLETED ? "" : "mio: ") + o.message());
        printTraces(debug, o.runDir(), mark);
        return o.status().exitCode();
    }

    private int figures(List<String> args, boolean debug) {
        String target = null;
        String snapshots = "final";
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--snapshots")) {
                snapshots = value(args, ++i, "--snapshots needs final, all or a list of epochs such as 0,100");
            } else if (a.startsWith("-") || target != null) {
                throw new UsageException("unexpected argument " + a + HELP);
            } else {
                target = a;
            }
        }
        if (target == null) {
            throw new UsageException("which run folder? e.g. mio figures runs/wm-quick-20261127-101500");
        }
        long mark = ErrorLog.mark(Path.of(target).resolve(ErrorLog.RUN_LOG));
        RunOutcome o = experiments.figures(Path.of(target), snapshots, err); // its stream only names problems
        PrintStream stream = o.status() == RunOutcome.Status.COMPLETED ? out : err;
        stream.println((o.status() == RunOutcome.Status.COMPLETED ? "" : "mio: ") + o.message());
        printTraces(debug, o.runDir(), mark);
        return o.status().exitCode();
    }

    private int analyze(List<String> args, boolean debug) {
        if (args.size() != 1 || args.get(0).startsWith("-")) {
            throw new UsageException(
                    args.isEmpty()
                            ? "which run folder? e.g. mio analyze runs/sep-quick-20261205-101500"
                            : "one run folder and no options, found " + String.join(" ", args) + HELP);
        }
        Path dir = Path.of(args.get(0));
        if (!java.nio.file.Files.isDirectory(dir)) {
            err.println("mio analyze: " + dir + ": no such run folder");
            return 2;
        }
        long mark = ErrorLog.mark(dir.resolve(ErrorLog.RUN_LOG));
        RunOutcome o = experiments.analyze(dir, out);
        PrintStream stream = o.status() == RunOutcome.Status.COMPLETED ? out : err;
        stream.println((o.status() == RunOutcome.Status.COMPLETED ? "" : "mio: ") + o.message());
        printTraces(debug, o.runDir(), mark);
        return o.status().exitCode();
    }

    private int sweep(List<String> args) {
        String target = null;
        Path outDir = null;
        boolean list = false;
        boolean summaryOnly = false;
        List<String> only = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--out")) {
                outDir = Path.of(value(args, ++i, "--out needs a folder"));
            } else if (a.equals("--list")) {
                list = true;
            } else if (a.equals("--summary-only")) {
                summaryOnly = true;
            } else if (a.equals("--trial")) {
                only.add(value(args, ++i, "--trial needs a trial's name, <condition>-<seed> (see --list)"));
            } else if (a.startsWith("-") || target != null) {
                throw new UsageException("unexpected argument " + a + HELP);
            } else {
                target = a;
            }
        }
        if (target == null) {
            throw new UsageException("which sweep? a sweep file or a preset such as wm-quick-sweep");
        }
        if ((list ? 1 : 0) + (summaryOnly ? 1 : 0) + (only.isEmpty() ? 0 : 1) > 1) {
            throw new UsageException("--list, --trial and --summary-only do not go together");
        }
        Path file = Path.of(target);
        if (!java.nio.file.Files.isRegularFile(file)) {
            file = experiments.sweepPreset(target).orElse(file);
        }
        if (!java.nio.file.Files.isRegularFile(file)) {
            err.println("mio: " + target + ": no such sweep file or preset");
            return 2;
        }
        if (outDir != null && java.nio.file.Files.exists(outDir) && !java.nio.file.Files.isDirectory(outDir)) {
            err.println("mio sweep: --out " + outDir + " is a file; name a new folder or the sweep's folder");
            return 2;
        }
        try {
            var cfg = org.mio.core.sweep.SweepRunner.load(file);
            Path out = outDir != null ? outDir : experiments.runsRoot().resolve(cfg.name());
            Path sweepDir = file.toAbsolutePath().getParent();
            var plan = org.mio.core.sweep.SweepRunner.plan(experiments, cfg, sweepDir, out);
            if (list) {
                this.out.println(org.mio.core.sweep.SweepRunner.listing(plan));
                return 0;
            }
            if (summaryOnly) {
                org.mio.core.sweep.SweepRunner.summarize(experiments, plan, out, this.out);
                return 0;
            }
            if (!only.isEmpty()) {
                List<org.mio.core.sweep.SweepRunner.Trial> chosen = new ArrayList<>();
                for (String label : only) {
                    var t = plan.trials().stream()
                            .filter(x -> x.label().equals(label))
                            .findFirst();
                    if (t.isEmpty()) {
                        err.println("mio sweep: --trial " + label + ": no such trial in " + cfg.name()
                                + "; its trials: " + String.join(", ", plan.labels()));
                        return 2;
                    }
                    if (!chosen.contains(t.get())) {
                        chosen.add(t.get());
                    }
                }
                int code = org.mio.core.sweep.SweepRunner.runTrials(experiments, plan, chosen, out, this.out);
                if (code == 4) {
                    err.println("mio: sweep " + cfg.name() + ": trial(s) " + String.join(", ", only)
                            + " stopped before their end (those started are checkpointed); "
                            + "run the same command again to go on");
                }
                return code;
            }
            int code = org.mio.core.sweep.SweepRunner.run(experiments, plan, out, this.out);
            if (code == 4) {
                err.println(
                        "mio: sweep " + cfg.name() + " stopped before its end (its trials are checkpointed); run the"
                                + " same command again to resume it");
            }
            return code;
        } catch (org.mio.api.plugin.ConfigException e) {
            err.println("mio: " + e.getMessage());
            return 2;
        } catch (java.io.IOException e) {
            err.println("mio sweep: " + IoErrors.describe(e));
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 4;
        }
    }

    private int sample(List<String> args) {
        String target = null;
        Path outDir = null;
        List<String> sets = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--set")) {
                sets.add(value(args, ++i, "--set needs path=value"));
            } else if (a.equals("--out")) {
                outDir = Path.of(value(args, ++i, "--out needs a folder"));
            } else if (a.startsWith("-") || target != null) {
                throw new UsageException("unexpected argument " + a + HELP);
            } else {
                target = a;
            }
        }
        if (target == null || outDir == null) {
            throw new UsageException("an experiment and --out DIR are required" + HELP);
        }
        var prepared = experiments.prepare(new RunRequest(target, sets, null, false));
        if (prepared.error() != null) {
            err.println("mio: " + prepared.error().message());
            return prepared.error().status().exitCode();
        }
        try {
            org.mio.core.train.Sample.write(prepared.session(), outDir, out);
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("mio sample: " + e.getMessage());
            return 2;
        } catch (java.io.IOException e) {
            err.println("mio sample: cannot write " + outDir + ": " + IoErrors.describe(e));
            return 1;
        }
    }

    private int estimate(List<String> args) {
        java.util.Map<String, String> opt = new java.util.HashMap<>();
        List<String> sets = new ArrayList<>();
        boolean json = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--set")) {
                sets.add(value(args, ++i, "--set needs param=value"));
            } else if (a.equals("--json")) {
                json = true;
            } else if (List.of(
                            "--estimator",
                            "--x",
                            "--y",
                            "--steps",
                            "--batch",
                            "--holdout",
                            "--seed",
                            "--threads",
                            "--out")
                    .contains(a)) {
                opt.put(a, value(args, ++i, a + " needs a value"));
            } else {
                throw new UsageException("unexpected argument " + a + HELP);
            }
        }
        for (String required : List.of("--estimator", "--x", "--y")) {
            if (!opt.containsKey(required)) {
                throw new UsageException(required + " is required" + HELP);
            }
        }
        Integer steps = opt.containsKey("--steps") ? wholeNumber(opt.get("--steps"), "--steps") : null;
        Integer batch = opt.containsKey("--batch") ? wholeNumber(opt.get("--batch"), "--batch") : null;
        int threads = opt.containsKey("--threads")
                ? wholeNumber(opt.get("--threads"), "--threads")
                : experiments.numerics().threads();
        Double holdout = null;
        if (opt.containsKey("--holdout")) {
            try {
                holdout = Double.parseDouble(opt.get("--holdout"));
            } catch (NumberFormatException e) {
                holdout = Double.NaN;
            }
            if (!(holdout >= 0 && holdout < 1)) {
                throw new UsageException("--holdout must be a fraction in [0, 1), found " + opt.get("--holdout"));
            }
        }
        long seed;
        try {
            seed = Long.parseLong(opt.getOrDefault("--seed", "1"));
        } catch (NumberFormatException e) {
            throw new UsageException("--seed must be an integer, found " + opt.get("--seed"));
        }
        Path outDir = opt.containsKey("--out") ? Path.of(opt.get("--out")) : null;
        if (outDir != null && java.nio.file.Files.exists(outDir) && !java.nio.file.Files.isDirectory(outDir)) {
            throw new UsageException("--out " + outDir + " is a file; name a folder");
        }
        try {
            var service = experiments.estimator(opt.get("--estimator"));
            if (threads != experiments.numerics().threads()) {
                experiments.numerics().setThreads(threads);
            }
            var options = new org.mio.core.train.Estimate.Options(
                    opt.get("--estimator"),
                    sets,
                    Path.of(opt.get("--x")),
                    Path.of(opt.get("--y")),
                    steps,
                    batch,
                    holdout,
                    seed,
                    threads,
                    experiments.cacheRoot());
            var result = org.mio.core.train.Estimate.run(service.service(), options);
            out.println(json ? result.json() : result.line());
            if (outDir != null) {
                org.mio.core.train.Estimate.write(result, outDir, experiments.renderer(), err);
            }
            return 0;
        } catch (org.mio.api.plugin.ConfigException e) {
            err.println("mio estimate: " + e.getMessage());
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("mio estimate: " + e.getMessage());
            return 2;
        } catch (java.io.IOException e) {
            err.println("mio estimate: " + IoErrors.describe(e));
            return 1;
        }
    }

    /** A command-line count: a whole number from 1 to the largest int, else a usage error naming the option. */
    private static int wholeNumber(String text, String option) {
        if (text.matches("[1-9][0-9]{0,9}")) {
            long v = Long.parseLong(text);
            if (v <= Integer.MAX_VALUE) {
                return (int) v;
            }
        }
        throw new UsageException(option + " must be a whole number ≥ 1, found " + text);
    }

    private int grad(List<String> args) {
        java.util.Map<String, String> opt = new java.util.HashMap<>();
        List<String> sets = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--set")) {
                sets.add(value(args, ++i, "--set needs path=value"));
            } else if (List.of(
                            "--experiment", "--inputs", "--targets", "--state", "--rows", "--perm", "--params", "--out")
                    .contains(a)) {
                opt.put(a, value(args, ++i, a + " needs a value"));
            } else {
                throw new UsageException("unknown argument " + a + HELP);
            }
        }
        for (String required : List.of("--experiment", "--inputs", "--targets", "--out")) {
            if (!opt.containsKey(required)) {
                throw new UsageException(required + " is required" + HELP);
            }
        }
        var prepared = experiments.prepare(new RunRequest(opt.get("--experiment"), sets, null, false));
        if (prepared.error() != null) {
            err.println("mio: " + prepared.error().message());
            return prepared.error().status().exitCode();
        }
        try {
            org.mio.core.train.GradCheck.run(
                    prepared.session(),
                    Path.of(opt.get("--inputs")),
                    Path.of(opt.get("--targets")),
                    opt.containsKey("--state") ? Path.of(opt.get("--state")) : null,
                    opt.containsKey("--rows") ? Path.of(opt.get("--rows")) : null,
                    opt.containsKey("--perm") ? Path.of(opt.get("--perm")) : null,
                    opt.containsKey("--params") ? Path.of(opt.get("--params")) : null,
                    Path.of(opt.get("--out")),
                    out);
            return 0;
        } catch (java.io.IOException e) {
            err.println("mio grad: " + IoErrors.describe(e));
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("mio grad: " + e.getMessage());
            return 2;
        }
    }

    private int bench(List<String> args) {
        String target = "wm-paper";
        int repeat = 5;
        List<String> sets = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--set" -> sets.add(value(args, ++i, "--set needs path=value"));
                case "--repeat" -> repeat = wholeNumber(value(args, ++i, "--repeat needs a number ≥ 1"), "--repeat");
                case "--threads" -> sets.add("threads=" + value(args, ++i, "--threads needs a number ≥ 1"));
                default -> {
                    if (a.startsWith("-")) {
                        throw new UsageException("unknown option " + a + HELP);
                    }
                    target = a;
                }
            }
        }
        var prepared = experiments.prepare(new RunRequest(target, sets, null, false));
        if (prepared.error() != null) {
            err.println("mio: " + prepared.error().message());
            return prepared.error().status().exitCode();
        }
        try {
            out.println("memory estimate: " + prepared.memory());
            org.mio.core.train.Bench.run(prepared.session(), repeat, prepared.threads(), out);
            return 0;
        } catch (java.io.IOException e) {
            err.println("mio bench: " + IoErrors.describe(e));
            return 1;
        }
    }

    private static String value(List<String> args, int i, String message) {
        if (i >= args.size()) {
            throw new UsageException(message);
        }
        return args.get(i);
    }

    private static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message, null, false, false);
        }
    }
}
