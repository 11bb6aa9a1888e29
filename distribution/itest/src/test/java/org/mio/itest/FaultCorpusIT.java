package org.mio.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.mio.itest.Distribution.npy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The fault corpus: bad input, broken files and crashes as careless users produce them, each run
 * on the assembled distribution the way a user runs it (a {@code bin/mio} process in a folder of
 * its own). Every case asserts
 *
 * <ul>
 *   <li>the exit status (2 bad input, 1 failure, 143 SIGTERM, 0 where the platform goes on),
 *   <li>the message: stderr holds exactly one line (or the case's stated number), matching the
 *       case's pattern, which names the file, field or option and what is wrong,
 *   <li>that no stack trace reached the console ({@code \tat }, {@code Exception in thread},
 *       {@code Caused by:}),
 *   <li>that no file that existed before the command changed (byte for byte), in the case's folder
 *       and in the distribution; new files may appear only where the case allows (a run's log).
 * </ul>
 *
 * <p>Classes, as issue 13 lists them: command-line usage, config files (JSON, UTF-8, unknown kinds,
 * criteria), numbers (non-finite, overflow), impossible sizes (memory estimate), {@code .npy}
 * inputs, {@code --out} and descriptors, damaged run folders and their lock, broken plugins, a
 * plugin's defect with and without {@code --debug}, SIGTERM. {@code mvn verify} runs the whole
 * corpus, two cases at a time; the table printed at the end gives each case's exit and time.
 */
public class FaultCorpusIT {
    private static final Pattern TRACE = Pattern.compile("\tat |Exception in thread|Caused by:|^\\s+at [a-z]");
    /** The distribution's files that are checked: all but its libraries (large) and its logs. */
    private static final Pattern DIST_SKIP = Pattern.compile("^(lib|logs)/.*");

    private static Path work;
    private static Path base; // a finished tiny run, copied by the cases that damage one
    private static Path dataDir; // valid .npy inputs for mio grad
    private static Map<String, String> homeBefore;

    /** What a case prepares in its folder before the command runs. */
    interface Setup {
        void in(Path dir) throws Exception;
    }

    /** What a case checks beyond the common assertions. */
    interface Check {
        void after(Path dir, String out, String err) throws Exception;
    }

    /** One case; see the class comment for what every case asserts. */
    static final class Case {
        final String name;
        final int exit;
        final Pattern message;
        final List<String> args;
        Setup setup = dir -> {};
        Check check = (dir, out, err) -> {};
        int errLines = 1;
        Pattern allowedNew = Pattern.compile("$^");
        Pattern allowedChanged = Pattern.compile("$^");
        Map<String, String> env = new LinkedHashMap<>();
        Path home; // null: the distribution itself
        Setup during; // runs while the process runs (e.g. SIGTERM); null: none
        boolean traceWanted; // --debug: the trace is the point

        Case(String name, int exit, String message, String... args) {
            this.name = name;
            this.exit = exit;
            this.message = Pattern.compile(message);
            this.args = List.of(args);
        }

        Case setup(Setup s) {
            setup = s;
            return this;
        }

        Case check(Check c) {
            check = c;
            return this;
        }

        Case lines(int n) {
            errLines = n;
            return this;
        }

        Case allowNew(String regex) {
            allowedNew = Pattern.compile(regex);
            return this;
        }

        Case allowChanged(String regex) {
            allowedChanged = Pattern.compile(regex);
            return this;
        }

        Case env(String k, String v) {
            env.put(k, v);
            return this;
        }

        Case home(Path h) {
            home = h;
            return this;
        }

        Case traceWanted() {
            traceWanted = true;
            return this;
        }

        Case during(Setup d) {
            during = d;
            return this;
        }
    }

    private static final String TINY_RUN = "training.epochs=2";

    /** The tiny wm-quick every run case uses (a few seconds). */
    private static String[] tiny(String... more) {
        List<String> a = new ArrayList<>(List.of(
                "--set", "task.params.learningSteps=60",
                "--set", "task.params.transientSteps=10",
                "--set", "training.snapshotEvery=1",
                "--set", TINY_RUN));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private static String[] cat(String[] a, String... b) {
        String[] r = new String[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @BeforeClass
    public static void prepare() throws Exception {
        work = Distribution.tempDir("mio-corpus");
        homeBefore = hashes(Distribution.home(), DIST_SKIP);
        base = work.resolve("base");
        Result r = exec(
                Distribution.home(),
                work,
                Map.of(),
                null,
                cat(new String[] {"run", "wm-quick"}, cat(tiny(), "--out", base.toString())));
        assertEquals("the base run: " + r.err, 0, r.exit);
        dataDir = work.resolve("data");
        Files.createDirectories(dataDir);
        npy(dataDir.resolve("inputs.npy"), "<f4", "(1, 4, 4)", new byte[64]);
        npy(dataDir.resolve("targets.npy"), "<f4", "(1, 4, 2)", new byte[32]);
        npy(dataDir.resolve("y.npy"), "<f8", "(32, 2)", gaussianBytes(32 * 2));
    }

    @Test
    public void everyCaseEndsWithOneClearLineAndChangesNothing() throws Exception {
        List<Case> cases = cases();
        assertTrue("the corpus has " + cases.size() + " cases", cases.size() >= 60);
        String only = System.getProperty("corpus.only"); // e.g. -Dcorpus.only='sigterm.*' while working on a case
        if (only != null && !only.isBlank()) {
            cases = cases.stream().filter(c -> c.name.matches(only)).toList();
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Map<String, Future<String>> results = new LinkedHashMap<>();
        for (Case c : cases) {
            results.put(c.name, pool.submit(() -> runCase(c)));
        }
        pool.shutdown();
        List<String> failures = new ArrayList<>();
        StringBuilder table = new StringBuilder("fault corpus: " + cases.size() + " cases\n");
        for (var e : results.entrySet()) {
            try {
                table.append(e.getValue().get(10, TimeUnit.MINUTES)).append('\n');
            } catch (java.util.concurrent.ExecutionException ex) {
                Throwable cause = ex.getCause();
                String where = cause instanceof AssertionError
                        ? ""
                        : Arrays.stream(cause.getStackTrace())
                                .filter(f -> f.getClassName().startsWith("org.mio"))
                                .limit(6)
                                .map(f -> "\n    at " + f)
                                .collect(java.util.stream.Collectors.joining());
                failures.add(
                        e.getKey() + ": " + (cause instanceof AssertionError ? cause.getMessage() : cause + where));
                table.append(String.format("%-44s FAILED%n", e.getKey()));
            }
        }
        System.out.print(table);
        Map<String, String> homeAfter = hashes(Distribution.home(), DIST_SKIP);
        for (var e : homeBefore.entrySet()) {
            if (!e.getValue().equals(homeAfter.get(e.getKey()))) {
                failures.add("distribution file changed: " + e.getKey());
            }
        }
        assertTrue(
                failures.size() + " of " + cases.size() + " cases failed:\n" + String.join("\n\n", failures),
                failures.isEmpty());
    }

    private static String runCase(Case c) throws Exception {
        Path dir = work.resolve("cases").resolve(c.name);
        Files.createDirectories(dir);
        try {
            c.setup.in(dir);
        } catch (Unavailable e) {
            return String.format("%-44s skipped: %s", c.name, e.getMessage());
        }
        Map<String, String> before = hashes(dir, Pattern.compile("$^"));
        long t0 = System.nanoTime();
        String[] args =
                c.args.stream().map(a -> a.replace("{dir}", dir.toString())).toArray(String[]::new);
        Map<String, String> env = new LinkedHashMap<>();
        c.env.forEach((k, v) -> env.put(k, v.replace("{dir}", dir.toString())));
        Result r = exec(c.home != null ? c.home : Distribution.home(), dir, env, c.during, args);
        double s = (System.nanoTime() - t0) / 1e9;
        String what = c.name + ": mio " + String.join(" ", args) + "\n  exit " + r.exit + "\n  stderr: " + r.err
                + "\n  stdout: " + tail(r.out);
        if (r.exit != c.exit) {
            throw new AssertionError("expected exit " + c.exit + "; " + what);
        }
        List<String> lines = r.err.lines().filter(l -> !l.isBlank()).toList();
        if (c.errLines >= 0 && lines.size() != c.errLines) {
            throw new AssertionError("expected " + c.errLines + " line(s) on stderr; " + what);
        }
        if (!lines.isEmpty() && !c.message.matcher(lines.get(0)).find()) {
            throw new AssertionError("the message does not match /" + c.message + "/; " + what);
        }
        if (!c.traceWanted
                && (TRACE.matcher(r.err).find() || TRACE.matcher(r.out).find())) {
            throw new AssertionError("a stack trace reached the console; " + what);
        }
        Map<String, String> after = hashes(dir, Pattern.compile("$^"));
        for (var e : before.entrySet()) {
            if (!e.getValue().equals(after.get(e.getKey()))
                    && !c.allowedChanged.matcher(e.getKey()).matches()) {
                throw new AssertionError(
                        (after.containsKey(e.getKey()) ? "changed: " : "removed: ") + e.getKey() + "; " + what);
            }
        }
        for (String k : after.keySet()) {
            if (!before.containsKey(k) && !c.allowedNew.matcher(k).matches()) {
                throw new AssertionError("new file " + k + "; " + what);
            }
        }
        c.check.after(dir, r.out, r.err);
        return String.format(
                "%-44s exit %3d  %5.1f s  %s", c.name, r.exit, s, lines.isEmpty() ? "" : shorten(lines.get(0)));
    }

    private static String shorten(String s) {
        return s.length() > 150 ? s.substring(0, 147) + "..." : s;
    }

    private static String tail(String s) {
        return s.length() > 600 ? "..." + s.substring(s.length() - 600) : s;
    }

    // ---------------------------------------------------------------------------------------
    // the cases

    private static List<Case> cases() throws Exception {
        List<Case> l = new ArrayList<>();
        String[] quick = {"run", "wm-quick"};

        // command line
        l.add(new Case("no-command", 2, "^usage: mio <command>").lines(-1));
        l.add(new Case("unknown-command", 2, "^mio: unknown command 'frobnicate'; 'mio help' lists", "frobnicate"));
        l.add(new Case("run-without-experiment", 2, "^mio run: which experiment\\? .*wm-quick", "run"));
        l.add(new Case("run-unknown-option", 2, "^mio run: unknown option --bogus", cat(quick, "--bogus")));
        l.add(new Case("run-two-experiments", 2, "one experiment at a time", "run", "wm-quick", "wm-paper"));
        l.add(new Case(
                "threads-zero", 2, "--threads must be a whole number ≥ 1, found 0", cat(quick, "--threads", "0")));
        l.add(new Case(
                "threads-text",
                2,
                "--threads must be a whole number ≥ 1, found many",
                cat(quick, "--threads", "many")));
        l.add(new Case("threads-missing", 2, "--threads needs a number", cat(quick, "--threads")));
        l.add(new Case("set-missing", 2, "--set needs path=value", cat(quick, "--set")));
        l.add(new Case("set-without-equals", 2, "--set .*training.epochs", cat(quick, "--set", "training.epochs")));
        l.add(new Case("set-unknown-field", 2, "training.nosuch", cat(quick, "--set", "training.nosuch=1")));
        l.add(new Case("set-text-for-number", 2, "training.epochs", cat(quick, "--set", "training.epochs=many")));
        l.add(new Case(
                "set-fraction-for-integer",
                2,
                "training.epochs must be a whole number, found 1.5",
                cat(quick, "--set", "training.epochs=1.5")));
        l.add(new Case("resume-without-folder", 2, "^mio resume: which run folder\\?", "resume"));
        l.add(new Case("resume-with-out", 2, "--out is not allowed", "resume", "x", "--out", "y"));
        l.add(new Case("resume-with-set", 2, "--set is not allowed", "resume", "{dir}/run", "--set", "seed=1")
                .setup(dir -> copyBase(dir.resolve("run"))));
        l.add(new Case("unknown-preset", 2, "no-such-preset", "run", "no-such-preset"));
        l.add(new Case("sweep-without-file", 2, "^mio sweep: which sweep\\?", "sweep"));
        l.add(new Case(
                "sweep-unknown", 2, "^mio: no-such-sweep: no such sweep file or preset", "sweep", "no-such-sweep"));
        l.add(new Case("figures-without-folder", 2, "^mio figures: which run folder\\?", "figures"));
        l.add(new Case("figures-not-a-run", 2, "is not a run folder \\(no experiment.json\\)", "figures", "{dir}"));
        l.add(new Case(
                "bench-repeat-zero",
                2,
                "--repeat must be a whole number ≥ 1, found 0",
                "bench",
                "wm-quick",
                "--repeat",
                "0"));
        l.add(new Case(
                "grad-missing-inputs", 2, "^mio grad: --inputs is required", "grad", "--experiment", "wm-quick"));
        l.add(new Case(
                "sample-without-out",
                2,
                "^mio sample: an experiment and --out DIR are required",
                "sample",
                "wm-quick"));

        // config files
        l.add(new Case("json-syntax", 2, "bad.json.*(line|column)", "run", "{dir}/bad.json")
                .setup(dir -> Files.writeString(dir.resolve("bad.json"), "{\"seed\": 3,, }")));
        l.add(new Case("json-empty", 2, "empty.json", "run", "{dir}/empty.json")
                .setup(dir -> Files.writeString(dir.resolve("empty.json"), "")));
        l.add(new Case("json-not-utf8", 2, "latin1.json.*byte (offset )?1[0-9]", "run", "{dir}/latin1.json")
                .setup(dir -> Files.write(
                        dir.resolve("latin1.json"),
                        "{\"name\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1))));
        l.add(new Case("json-array", 2, "array.json", "run", "{dir}/array.json")
                .setup(dir -> Files.writeString(dir.resolve("array.json"), "[1, 2, 3]")));
        l.add(new Case("no-task", 2, "task", "run", "{dir}/notask.json")
                .setup(dir -> Files.writeString(dir.resolve("notask.json"), withoutSection("task"))));
        l.add(new Case(
                "unknown-task-kind",
                2,
                "task.kind: task plugin 'juggling' is not installed; installed task kinds: .*working-memory",
                cat(quick, "--set", "task.kind=juggling")));
        l.add(new Case(
                "unknown-model-kind",
                2,
                "model.kind: model plugin 'lstm' is not installed",
                cat(quick, "--set", "model.kind=lstm")));
        l.add(new Case(
                "unknown-estimator-kind",
                2,
                "estimator.kind: estimator plugin 'ksg' is not installed",
                cat(quick, "--set", "estimator.kind=ksg")));
        l.add(new Case(
                "unknown-analyzer-kind",
                2,
                "analysis\\[0\\].kind: analyzer plugin 'spectral' is not installed",
                cat(quick, "--set", "analysis[0].kind=spectral")));
        l.add(new Case(
                        "criterion-unknown-metric",
                        2,
                        "criteria.*'happiness'.*(accuracy|metrics)",
                        "run",
                        "{dir}/crit.json")
                .setup(dir -> Files.writeString(
                        dir.resolve("crit.json"),
                        preset("wm-quick")
                                .replace("\"metric\" : \"accuracy\"", "\"metric\" : \"happiness\"")
                                .replace("\"metric\": \"accuracy\"", "\"metric\": \"happiness\""))));
        l.add(new Case("sweep-repeated-seed", 2, "s.json: seeds: 7 appears more than once", "sweep", "{dir}/s.json")
                .setup(dir -> Files.writeString(
                        dir.resolve("s.json"),
                        "{\"name\": \"s\", \"experiment\": \"wm-quick\", \"seeds\": [7, 8, 7]}")));
        l.add(new Case("sweep-not-utf8", 2, "s.json.*byte", "sweep", "{dir}/s.json")
                .setup(dir -> Files.write(
                        dir.resolve("s.json"), "{\"name\": \"\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1))));
        l.add(new Case("sweep-json-syntax", 2, "s.json", "sweep", "{dir}/s.json")
                .setup(dir -> Files.writeString(dir.resolve("s.json"), "{\"name\": ")));
        l.add(new Case(
                "sweep-unknown-trial",
                2,
                "^mio sweep: --trial lambda-9: no such trial in wm-quick-sweep; its trials: lambda-1001, ",
                "sweep",
                "wm-quick-sweep",
                "--trial",
                "lambda-9",
                "--out",
                "{dir}/s"));
        l.add(new Case(
                "sweep-list-with-trial",
                2,
                "^mio sweep: --list, --trial and --summary-only do not go together",
                "sweep",
                "wm-quick-sweep",
                "--list",
                "--trial",
                "lambda-1001"));
        l.add(new Case("sweep-unknown-experiment", 2, "no-such-experiment", "sweep", "{dir}/s.json")
                .setup(dir -> Files.writeString(
                        dir.resolve("s.json"),
                        "{\"name\": \"s\", \"experiment\": \"no-such-experiment\", \"seeds\": [1]}")));

        // numbers
        l.add(new Case(
                "learning-rate-nan",
                2,
                "training.modelOptimizer.learningRate must be in \\(0, 1\\], found NaN",
                cat(quick, "--set", "training.modelOptimizer.learningRate=NaN")));
        l.add(new Case(
                "learning-rate-infinity",
                2,
                "learningRate must be in \\(0, 1\\], found Infinity",
                cat(quick, "--set", "training.modelOptimizer.learningRate=Infinity")));
        l.add(new Case(
                "learning-rate-1e400",
                2,
                "learningRate must be in \\(0, 1\\], found Infinity",
                cat(quick, "--set", "training.modelOptimizer.learningRate=1e400")));
        l.add(new Case(
                "lambda-negative-infinity",
                2,
                "training.lambdaMi must be a finite number ≥ 0, found -Infinity",
                cat(quick, "--set", "training.lambdaMi=-Infinity")));
        l.add(new Case(
                "noise-nan",
                2,
                "estimator.params.noise must be a finite number ≥ 0, found NaN",
                cat(quick, "--set", "estimator.params.noise=NaN")));
        l.add(new Case(
                "amplitude-overflow",
                2,
                "task.params.amplitude must be a finite number, found Infinity",
                cat(quick, "--set", "task.params.amplitude=1e999")));
        l.add(new Case(
                "seed-overflow", 2, "seed.*out of range of long", cat(quick, "--set", "seed=99999999999999999999")));
        l.add(new Case(
                "hidden-int-overflow",
                2,
                "model.params.hidden.*out of range of int",
                cat(quick, "--set", "model.params.hidden=3000000000")));
        l.add(new Case(
                "index-overflow",
                2,
                "analysis has no element 99999999999",
                cat(quick, "--set", "analysis[99999999999].kind=x")));
        l.add(new Case(
                "batch-size-1e10",
                2,
                "training.batchSize must be a whole number, found 1.0E10",
                cat(quick, "--set", "training.batchSize=1e10")));
        l.add(new Case(
                "epochs-negative",
                2,
                "training.epochs must be ≥ 1, found -1",
                cat(quick, "--set", "training.epochs=-1")));

        // impossible sizes: refused before anything large is allocated, and before the run folder exists
        l.add(new Case(
                        "size-learning-steps",
                        2,
                        "training.batchSize = 20 with sequences of 2000000010 steps \\(task.params.learningSteps = 2000000000\\) is too large",
                        cat(
                                quick,
                                "--set",
                                "task.params.learningSteps=2000000000",
                                "--set",
                                "task.params.transientSteps=10",
                                "--out",
                                "{dir}/run"))
                .check((dir, out, err) -> assertTrue("no run folder", !Files.exists(dir.resolve("run")))));
        l.add(new Case(
                "size-hidden",
                2,
                "model.params.hidden = 1000000 is too large",
                cat(quick, "--set", "model.params.hidden=1000000")));
        l.add(new Case(
                "size-estimator-width",
                2,
                "estimator.params.hidden = 10000000 is too large: the experiment needs about .* of ND4J memory",
                cat(quick, "--set", "estimator.params.hidden=10000000")));
        l.add(new Case(
                "size-batch",
                2,
                "training.batchSize = 100000000 with sequences of 3000 steps",
                cat(quick, "--set", "training.batchSize=100000000")));
        l.add(new Case(
                "size-gru-hidden",
                2,
                "model.params.hidden = 100000 is too large",
                "run",
                "sep-quick",
                "--set",
                "model.params.hidden=100000"));
        l.add(new Case(
                "size-separation-samples",
                2,
                "task.params.samples = 2000000000\\) is too large",
                "run",
                "sep-quick",
                "--set",
                "task.params.samples=2000000000"));
        l.add(new Case(
                        "size-sep-paper-small-heap",
                        2,
                        "training.batchSize = 50 with sequences of 10000 steps \\(task.params.samples = 14000\\) is too large: the experiment needs about .* of ND4J memory .*more than the 256 MiB ND4J may use",
                        "run",
                        "sep-paper")
                .env("MIO_JAVA_OPTS", "-Xmx256m"));

        // .npy inputs of mio grad: one line naming the file, exit 2, nothing written
        String[] grad = {
            "grad", "--experiment", "wm-quick", "--targets", "{dir}/../../data/targets.npy", "--out", "{dir}/out"
        };
        l.add(new Case(
                "npy-missing",
                2,
                "^mio grad: .*nothing.npy: no such file",
                cat(grad, "--inputs", "{dir}/nothing.npy")));
        l.add(npyCase(
                "npy-empty", "not a .npy|empty|too short", dir -> Files.write(dir.resolve("x.npy"), new byte[0])));
        l.add(npyCase(
                "npy-garbage",
                "not a .npy",
                dir -> Files.writeString(dir.resolve("x.npy"), "hello, world, this is no array")));
        l.add(npyCase(
                "npy-negative-shape", "shape", dir -> npy(dir.resolve("x.npy"), "<f4", "(1, -4, 4)", new byte[64])));
        l.add(npyCase(
                "npy-huge-shape",
                "shape|holds|bytes",
                dir -> npy(dir.resolve("x.npy"), "<f4", "(100000, 100000, 100000)", new byte[64])));
        l.add(npyCase(
                "npy-unparsable-header",
                "header|shape",
                dir -> npy(dir.resolve("x.npy"), "<f4", "(1, four, 4)", new byte[64])));
        l.add(npyCase(
                "npy-complex-dtype", "dtype|<c8", dir -> npy(dir.resolve("x.npy"), "<c8", "(1, 4, 4)", new byte[128])));
        l.add(npyCase(
                "npy-truncated-data",
                "truncated|bytes|short",
                dir -> npy(dir.resolve("x.npy"), "<f4", "(1, 4, 4)", new byte[10])));
        l.add(npyCase("npy-header-past-end", "header", dir -> {
            byte[] b = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) 0xff, (byte) 0x7f};
            Files.write(dir.resolve("x.npy"), b);
        }));
        l.add(npyCase(
                "npy-wrong-rank",
                "inputs must be \\[B, T, 4\\]",
                dir -> npy(dir.resolve("x.npy"), "<f4", "(4, 4)", new byte[64])));
        // mio estimate: bad arrays and options, one line, exit 2
        String[] estimate = {"estimate", "--estimator", "gaussian", "--y", "{dir}/../../data/y.npy"};
        l.add(new Case(
                        "estimate-nan",
                        2,
                        "^mio estimate: --x .*x.npy: row 3, column 1 is NaN; the samples must be finite$",
                        cat(estimate, "--x", "{dir}/x.npy"))
                .setup(dir -> npy(dir.resolve("x.npy"), "<f8", "(32, 2)", nanAt(32 * 2, 3 * 2 + 1))));
        l.add(new Case(
                        "estimate-rows-differ",
                        2,
                        "^mio estimate: --x .*x.npy has 20 rows and --y .*y.npy 32; row i of both must be one joint"
                                + " sample$",
                        cat(estimate, "--x", "{dir}/x.npy"))
                .setup(dir -> npy(dir.resolve("x.npy"), "<f8", "(20, 2)", new byte[20 * 2 * 8])));
        l.add(new Case(
                        "estimate-too-few-rows",
                        2,
                        "^mio estimate: --x .*x.npy: has 4 rows of 2 columns; an estimate needs at least 16 rows",
                        cat(estimate, "--x", "{dir}/x.npy"))
                .setup(dir -> npy(dir.resolve("x.npy"), "<f8", "(4, 2)", new byte[4 * 2 * 8])));
        l.add(new Case(
                        "estimate-not-npy",
                        2,
                        "^mio estimate: --x .*x.npy: not a .npy file",
                        cat(estimate, "--x", "{dir}/x.npy"))
                .setup(dir -> Files.writeString(dir.resolve("x.npy"), "hello, world, this is no array")));
        l.add(new Case(
                "estimate-unknown-param",
                2,
                "^mio estimate: --set: params.hidden is not a known key; allowed here: noise, ridge, rows$",
                cat(estimate, "--x", "{dir}/../../data/y.npy", "--set", "hidden=8")));
        l.add(new Case(
                "estimate-unknown-kind",
                2,
                "^mio estimate: --estimator: estimator plugin 'ksg' is not installed; installed estimator kinds: .*mine",
                "estimate",
                "--estimator",
                "ksg",
                "--x",
                "{dir}/../../data/y.npy",
                "--y",
                "{dir}/../../data/y.npy"));
        l.add(new Case(
                "estimate-no-y",
                2,
                "^mio estimate: --y is required \\('mio help' shows the usage\\)$",
                "estimate",
                "--estimator",
                "mine",
                "--x",
                "{dir}/../../data/y.npy"));
        l.add(new Case(
                        "perm-not-a-permutation",
                        2,
                        "--perm .*p.npy: must hold distinct indices in \\[0, 4\\), found 1 at position 1",
                        cat(grad, "--inputs", "{dir}/../../data/inputs.npy", "--perm", "{dir}/p.npy"))
                .setup(dir -> npy(dir.resolve("p.npy"), "<i8", "(4,)", longs(1, 1, 2, 3))));
        l.add(new Case(
                        "perm-floats",
                        2,
                        "--perm .*p.npy: must hold integers",
                        cat(grad, "--inputs", "{dir}/../../data/inputs.npy", "--perm", "{dir}/p.npy"))
                .setup(dir -> npy(dir.resolve("p.npy"), "<f8", "(4,)", new byte[32])));
        l.add(new Case(
                        "perm-too-short",
                        2,
                        "--perm .*p.npy: must hold 4 indices",
                        cat(grad, "--inputs", "{dir}/../../data/inputs.npy", "--perm", "{dir}/p.npy"))
                .setup(dir -> npy(dir.resolve("p.npy"), "<i8", "(2,)", longs(0, 1))));

        // --out and descriptors
        l.add(new Case(
                        "run-out-is-a-file",
                        2,
                        "--out .*afile is a file; name a new or empty folder",
                        cat(quick, "--out", "{dir}/afile"))
                .setup(dir -> Files.writeString(dir.resolve("afile"), "mine")));
        l.add(new Case(
                        "run-out-not-empty",
                        2,
                        "exists and is not empty; choose another --out",
                        cat(quick, "--out", "{dir}/full"))
                .setup(dir -> {
                    Files.createDirectories(dir.resolve("full"));
                    Files.writeString(dir.resolve("full/notes.txt"), "mine");
                }));
        l.add(new Case(
                        "sweep-out-is-a-file",
                        2,
                        "^mio sweep: --out .*afile is a file",
                        "sweep",
                        "wm-quick-sweep",
                        "--out",
                        "{dir}/afile")
                .setup(dir -> Files.writeString(dir.resolve("afile"), "mine")));
        l.add(new Case(
                        "sample-out-is-a-file",
                        2,
                        "^mio sample: --out .*afile is a file",
                        "sample",
                        "wm-quick",
                        "--out",
                        "{dir}/afile")
                .setup(dir -> Files.writeString(dir.resolve("afile"), "mine")));
        l.add(new Case(
                "assemble-missing-descriptor",
                2,
                "^mio assemble: .*nothing.descriptor: no such descriptor file",
                "assemble",
                "{dir}/nothing.descriptor",
                "--out",
                "{dir}/dist"));
        l.add(new Case(
                        "assemble-unknown-bundle",
                        2,
                        "^mio assemble: .*d.descriptor does not make a working distribution",
                        "assemble",
                        "{dir}/d.descriptor",
                        "--out",
                        "{dir}/dist")
                .lines(2)
                .setup(dir -> Files.writeString(dir.resolve("d.descriptor"), "plugin org.example.no-such-bundle\n")));

        // damaged run folders: detected before anything is written
        l.add(damaged(
                "resume-not-a-run",
                "is not a run folder \\(no experiment.json\\)",
                run -> Files.delete(run.resolve("experiment.json"))));
        l.add(damaged(
                "resume-checkpoint-truncated",
                "checkpoint.*model/W_rec.npy",
                run -> truncate(run.resolve("checkpoint/model/W_rec.npy"), 40)));
        l.add(damaged(
                "resume-checkpoint-garbage",
                "checkpoint.*model/W_in.npy",
                run -> Files.writeString(run.resolve("checkpoint/model/W_in.npy"), "garbage")));
        l.add(damaged(
                "resume-checkpoint-missing-file",
                "checkpoint.*estimator/W2.npy",
                run -> Files.delete(run.resolve("checkpoint/estimator/W2.npy"))));
        l.add(damaged(
                "resume-wrong-shape",
                "checkpoint.*model/b.npy",
                run -> npy(run.resolve("checkpoint/model/b.npy"), "<f4", "(3,)", new byte[12])));
        l.add(damaged(
                "resume-state-empty",
                "state.json",
                run -> Files.writeString(run.resolve("checkpoint/state.json"), "")));
        l.add(damaged(
                "resume-state-garbage",
                "state.json",
                run -> Files.writeString(run.resolve("checkpoint/state.json"), "{\"epoch\": ")));
        l.add(damaged(
                "resume-metrics-garbage-line",
                "metrics.jsonl line 2: not a JSON row",
                run -> insertLine(run.resolve("metrics.jsonl"), 1, "{{not json")));
        l.add(damaged(
                "resume-analysis-garbage-line",
                "analysis.jsonl",
                run -> insertLine(run.resolve("analysis.jsonl"), 0, "garbage")));
        l.add(damaged(
                "resume-provenance-garbage",
                "provenance.json",
                run -> Files.writeString(run.resolve("provenance.json"), "<html>")));
        l.add(damaged("resume-experiment-edited", "experiment.json", run -> {
            Path e = run.resolve("experiment.json");
            Files.writeString(e, Files.readString(e).replace("\"seed\" : ", "\"seed\" : 1"));
        }));
        l.add(new Case(
                        "resume-locked",
                        2,
                        "is in use by another run \\(process "
                                + ProcessHandle.current().pid(),
                        "resume",
                        "{dir}/run")
                .setup(dir -> {
                    copyBase(dir.resolve("run"));
                    hold(dir.resolve("run/.lock"));
                }));
        l.add(new Case(
                        "figures-damaged",
                        1,
                        "^mio: snapshots/epoch-0002/W_rec.npy: cannot be read \\(not a .npy file",
                        "figures",
                        "{dir}/run")
                .lines(2)
                .allowNew("run/(figures/.*|report.html|mio.log)")
                .setup(dir -> {
                    copyBase(dir.resolve("run"));
                    Files.writeString(dir.resolve("run/snapshots/epoch-0002/W_rec.npy"), "garbage");
                    for (Path f : Distribution.files(dir.resolve("run/figures"))) {
                        Files.delete(f);
                    }
                    Files.delete(dir.resolve("run/report.html"));
                })
                .check((dir, out, err) -> assertTrue(
                        "report.html says what is missing",
                        Files.readString(dir.resolve("run/report.html")).contains("W_rec.npy"))));

        // broken plugins: named in one line each, not waited for; the command goes on
        l.add(new Case("plugin-corrupt-jar", 0, "^mio: corrupt.jar ignored: ", "plugins")
                .home(privateHome(
                        "corrupt", plugins -> Files.writeString(plugins.resolve("corrupt.jar"), "not a jar"))));
        l.add(new Case(
                        "plugin-bad-manifest",
                        0,
                        "^mio: bad-manifest.jar ignored: its manifest is not a valid bundle manifest",
                        "plugins")
                .home(privateHome(
                        "badmf",
                        plugins -> Distribution.manifestJar(
                                plugins.resolve("bad-manifest.jar"),
                                "Bundle-ManifestVersion",
                                "2",
                                "Bundle-SymbolicName",
                                "bad;;;name==="))));
        l.add(new Case("plugin-unresolvable", 0, "^mio: unresolvable.jar ignored: cannot be resolved", "plugins")
                .home(privateHome(
                        "unres",
                        plugins -> Distribution.manifestJar(
                                plugins.resolve("unresolvable.jar"),
                                "Bundle-ManifestVersion",
                                "2",
                                "Bundle-SymbolicName",
                                "org.example.unresolvable",
                                "Import-Package",
                                "org.example.missing;version=\"[1,2)\""))));
        l.add(new Case("plugin-second-copy", 0, "^mio: zz-copy.jar ignored: .*(copy|already)", "plugins")
                .home(privateHome("copy", plugins -> {
                    Path gru = Distribution.jars(plugins).stream()
                            .filter(j -> j.getFileName().toString().startsWith("model-gru"))
                            .findFirst()
                            .orElseThrow();
                    Files.copy(gru, plugins.resolve("zz-copy.jar"));
                })));

        // a plugin whose component fails to start: one line (not SCR's stack trace), the platform goes on
        l.add(new Case(
                        "plugin-component-fails",
                        0,
                        "^mio: org.mio.itest.failing: component fixture.failing did not start: java.lang.IllegalStateException: fixture: cannot read its calibration file \\(stack trace in .*\\); the platform goes on without it",
                        "plugins")
                .home(privateHome("failing", FaultCorpusIT::failingComponentJar))
                .check((dir, out, err) -> assertTrue(out, out.contains("working-memory"))));

        // a platform component that cannot start (here ND4J, denied all off-heap memory): one line at
        // once, not SCR's stack trace and a minute's wait for a command service that never comes
        l.add(new Case(
                        "platform-component-fails",
                        1,
                        "^mio: the platform did not start: component org.mio.numerics.impl.NumericsComponent of org.mio.numerics failed: java.lang.OutOfMemoryError: .* \\(stack trace in ",
                        "presets")
                .env("MIO_JAVA_OPTS", "-Dorg.bytedeco.javacpp.maxbytes=1m -Dorg.bytedeco.javacpp.maxphysicalbytes=1m")
                .check((dir, out, err) -> assertTrue(out, out.isBlank())));

        // a plugin's defect: one line, the trace in the run's log; --debug prints it too
        Path defect = privateHome("defect", plugins -> {
            try (var in = Distribution.fixture("1.0.0", "defect", 0)) {
                Files.copy(in, plugins.resolve("fixture-defect.jar"));
            }
        });
        l.add(new Case(
                        "plugin-defect",
                        1,
                        "^mio: the run failed: java.lang.IllegalStateException: fixture defect: .*\\(stack trace in .*run/mio.log\\); the last checkpoint is kept; resume with: mio resume",
                        "run",
                        "{dir}/fixture.json",
                        "--out",
                        "{dir}/run")
                .home(defect)
                .allowNew("run/.*")
                .setup(dir -> Distribution.fixtureExperiment(dir, 2))
                .check((dir, out, err) -> {
                    String log = Files.readString(dir.resolve("run/mio.log"));
                    assertTrue(
                            log,
                            log.contains("IllegalStateException: fixture defect")
                                    && log.contains("\tat org.mio.itest.fixture.FixtureTask"));
                    assertTrue(
                            Files.readString(dir.resolve("run/provenance.json")).contains("\"FAILED\""));
                }));
        l.add(new Case(
                        "plugin-defect-debug",
                        1,
                        "^mio: the run failed: java.lang.IllegalStateException: fixture defect",
                        "run",
                        "{dir}/fixture.json",
                        "--out",
                        "{dir}/run",
                        "--debug")
                .home(defect)
                .lines(-1)
                .traceWanted()
                .allowNew("run/.*")
                .setup(dir -> Distribution.fixtureExperiment(dir, 2))
                .check((dir, out, err) -> assertTrue(
                        "--debug prints the trace: " + err, err.contains("\tat org.mio.itest.fixture.FixtureTask"))));

        // SIGTERM: the run finishes its epoch, checkpoints, says how to resume, and exits 143
        l.add(new Case(
                        "sigterm",
                        143,
                        "^mio: the platform is stopping; checkpoint written after epoch \\d+; resume with: mio resume",
                        cat(quick, cat(tiny(), "--set", "training.epochs=400", "--out", "{dir}/run")))
                .allowNew("run/.*")
                .during(dir -> {
                    Path m = dir.resolve("run/metrics.jsonl");
                    long deadline = System.currentTimeMillis() + 120_000;
                    while ((!Files.exists(m) || Files.readAllLines(m).size() < 2)
                            && System.currentTimeMillis() < deadline) {
                        Thread.sleep(100);
                    }
                })
                .check((dir, out, err) -> {
                    String p = Files.readString(dir.resolve("run/provenance.json"));
                    assertTrue(p, !p.contains("\"RUNNING\""));
                    assertTrue(Files.exists(dir.resolve("run/checkpoint/state.json")));
                }));
        // out of heap: the JVM ends at once (-XX:+ExitOnOutOfMemoryError), it does not linger half alive
        l.add(new Case(
                        "heap-exhausted",
                        3,
                        "^Terminating due to java.lang.OutOfMemoryError: Java heap space",
                        "run",
                        "wm-quick",
                        "--out",
                        "{dir}/run")
                .env("MIO_JAVA_OPTS", "-Xmx8m")
                .lines(0) // the JVM's own one line, on stdout
                .check((dir, out, err) -> assertTrue(
                        out, out.strip().equals("Terminating due to java.lang.OutOfMemoryError: Java heap space"))));
        // the framework storage a killed process left behind is removed at the next start; a live one's is kept
        l.add(new Case("stale-framework-storage", 0, "$^", "presets")
                .lines(0)
                .env("MIO_JAVA_OPTS", "-Djava.io.tmpdir={dir}/tmp")
                .allowChanged("tmp/mio-felix-dead/.*")
                .setup(dir -> {
                    Path dead = dir.resolve("tmp/mio-felix-dead");
                    Files.createDirectories(dead.resolve("bundle1"));
                    Files.writeString(dead.resolve("bundle1/bundle.jar"), "a copy of a bundle");
                    long gone = ProcessHandle.current().pid() + 1_000_000; // no such process
                    Files.writeString(dead.resolve("mio-owner.pid"), Long.toString(gone));
                    Path live = dir.resolve("tmp/mio-felix-live");
                    Files.createDirectories(live);
                    Files.writeString(
                            live.resolve("mio-owner.pid"),
                            Long.toString(ProcessHandle.current().pid()));
                })
                .check((dir, out, err) -> {
                    assertTrue(
                            "the dead process's storage is removed", !Files.exists(dir.resolve("tmp/mio-felix-dead")));
                    assertTrue(
                            "a live process's storage is kept",
                            Files.exists(dir.resolve("tmp/mio-felix-live/mio-owner.pid")));
                }));
        // a full disk in the middle of a run: one line, the last checkpoint kept; with room again, the run resumes
        // from it and goes on where it stopped
        l.add(new Case(
                        "disk-full",
                        1,
                        "^mio: cannot write to .*: No space left on device; the last checkpoint is kept; resume with: mio resume ",
                        cat(
                                quick,
                                cat(
                                        tiny(),
                                        "--set",
                                        "training.epochs=400",
                                        "--set",
                                        "training.checkpointEvery=1",
                                        "--out",
                                        "{dir}/disk/run")))
                .allowNew("disk/run/.*")
                .setup(dir -> mountTmpfs(dir.resolve("disk"), "1m"))
                .check((dir, out, err) -> {
                    Path run = dir.resolve("disk/run");
                    try {
                        assertTrue(Files.exists(run.resolve("checkpoint/state.json")));
                        assertTrue(
                                Files.readString(run.resolve("provenance.json")).contains("\"FAILED\""));
                        int before =
                                Files.readAllLines(run.resolve("metrics.jsonl")).size();
                        run(List.of(
                                "mount",
                                "-o",
                                "remount,size=50m",
                                dir.resolve("disk").toString()));
                        Result again = exec(
                                Distribution.home(),
                                dir,
                                Map.of(),
                                d -> awaitRows(run.resolve("metrics.jsonl"), before + 2),
                                "resume",
                                run.toString());
                        assertEquals(again.err, 143, again.exit);
                        assertTrue(again.out, again.out.contains("resuming wm-quick from epoch"));
                        List<String> rows = Files.readAllLines(run.resolve("metrics.jsonl"));
                        for (int i = 0; i < rows.size(); i++) {
                            assertTrue(rows.get(i), rows.get(i).contains("\"epoch\":" + (i + 1) + ","));
                        }
                    } finally {
                        run(List.of("umount", dir.resolve("disk").toString()));
                    }
                }));

        // SIGTERM of a sweep: its running trial checkpoints, the queued one does not start, no
        // summary of half a sweep, status 143
        l.add(new Case(
                        "sigterm-sweep",
                        143,
                        "^mio: sweep k stopped before its end \\(its trials are checkpointed\\); run the same command again",
                        "sweep",
                        "{dir}/s.json",
                        "--out",
                        "{dir}/o")
                .allowNew("o/.*")
                .setup(dir -> {
                    ObjectNode e =
                            (ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(preset("wm-quick"));
                    ((ObjectNode) e.at("/task/params")).put("learningSteps", 60).put("transientSteps", 10);
                    ((ObjectNode) e.get("training")).put("epochs", 400).put("checkpointEvery", 1);
                    Files.writeString(dir.resolve("tiny.json"), e.toString());
                    Files.writeString(
                            dir.resolve("s.json"),
                            "{\"name\": \"k\", \"experiment\": \"tiny.json\", \"seeds\": [1, 2],"
                                    + " \"parallelTrials\": 1}");
                })
                .during(dir -> awaitRows(dir.resolve("o/default-1/metrics.jsonl"), 2))
                .check((dir, out, err) -> {
                    assertTrue(out, out.contains("sweep k stopped: "));
                    assertTrue("no summary of half a sweep", !Files.exists(dir.resolve("o/summary.json")));
                    // the queued trial is not started, and not reported as a missing plugin
                    assertTrue(out, out.contains("not started: the platform is stopping"));
                    assertTrue(out, !out.contains("not installed"));
                    assertTrue("the queued trial wrote nothing", !Files.exists(dir.resolve("o/default-2")));
                }));
        // SIGTERM of a resumed run: the same status and message as a first run
        l.add(new Case(
                        "sigterm-resume",
                        143,
                        "^mio: the platform is stopping; checkpoint written after epoch \\d+; resume with: mio resume",
                        "resume",
                        "{dir}/run")
                .allowNew("run/.*")
                .lines(1)
                .setup(dir -> {
                    Result first = exec(
                            Distribution.home(),
                            dir,
                            Map.of(),
                            d -> awaitRows(d.resolve("run/metrics.jsonl"), 2),
                            cat(
                                    quick,
                                    cat(
                                            tiny(),
                                            "--set",
                                            "training.epochs=400",
                                            "--out",
                                            dir.resolve("run").toString())));
                    assertEquals(first.err, 143, first.exit);
                })
                .allowChanged("run/.*") // a resume goes on writing its own folder
                .during(dir -> {
                    // the resumed session has begun once provenance.json records it
                    Path p = dir.resolve("run/provenance.json");
                    long deadline = System.currentTimeMillis() + 120_000;
                    while (!Files.readString(p).replace(" ", "").contains("\"resumed\":true")
                            && System.currentTimeMillis() < deadline) {
                        Thread.sleep(50);
                    }
                }));
        return l;
    }

    /** A case that this machine cannot stage (e.g. no permission to mount): reported as skipped. */
    static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message);
        }
    }

    /** A small filesystem of its own at {@code at}, to fill up; {@link Unavailable} without the right to mount. */
    private static void mountTmpfs(Path at, String size) throws Exception {
        Files.createDirectories(at);
        try {
            run(List.of("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", at.toString()));
        } catch (IOException e) {
            throw new Unavailable("cannot mount a small filesystem here (" + e.getMessage() + ")");
        }
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + ": " + out);
        }
    }

    private static void awaitRows(Path f, int rows) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while ((!Files.exists(f) || Files.readAllLines(f).size() < rows) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
    }

    /** Little-endian float64 zeros with one NaN at {@code index}. */
    private static byte[] nanAt(int count, int index) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(count * 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putDouble(index * 8, Double.NaN);
        return b.array();
    }

    /** Little-endian float64 standard normals of a fixed seed. */
    private static byte[] gaussianBytes(int count) {
        java.util.Random r = new java.util.Random(1);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(count * 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            b.putDouble(r.nextGaussian());
        }
        return b.array();
    }

    private static Case npyCase(String name, String what, Setup file) {
        String[] args = {
            "grad",
            "--experiment",
            "wm-quick",
            "--inputs",
            "{dir}/x.npy",
            "--targets",
            "{dir}/../../data/targets.npy",
            "--out",
            "{dir}/out"
        };
        return new Case(name, 2, "^mio grad: .*x.npy.*(" + what + ")", args).setup(file);
    }

    private static Case damaged(String name, String what, Setup damage) {
        return new Case(name, 2, "^mio: .*(" + what + ")", "resume", "{dir}/run").setup(dir -> {
            copyBase(dir.resolve("run"));
            damage.in(dir.resolve("run"));
        });
    }

    // ---------------------------------------------------------------------------------------
    // helpers

    private static String preset(String name) throws IOException {
        return Files.readString(Distribution.home().resolve("examples/" + name + ".json"));
    }

    private static String withoutSection(String section) throws IOException {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(preset("wm-quick"));
        tree.remove(section);
        return mapper.writeValueAsString(tree);
    }

    private static void copyBase(Path to) throws IOException {
        try (Stream<Path> s = Files.walk(base)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(base.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else if (!p.getFileName().toString().equals(".lock")) {
                    Files.copy(p, t);
                }
            }
        }
    }

    private static final List<FileChannel> HELD = java.util.Collections.synchronizedList(new ArrayList<>());

    /** Holds a run folder's lock as another mio would: an OS lock and its pid in the file. */
    private static void hold(Path lock) throws IOException {
        FileChannel ch =
                FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
        FileLock l = ch.tryLock();
        if (l == null) {
            throw new IOException("could not lock " + lock);
        }
        ch.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)), 0);
        HELD.add(ch);
    }

    private static void truncate(Path f, int bytes) throws IOException {
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
            r.setLength(bytes);
        }
    }

    private static void insertLine(Path f, int at, String line) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(f));
        lines.add(at, line);
        Files.write(f, lines);
    }

    private static byte[] longs(long... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) {
            b.putLong(x);
        }
        return b.array();
    }

    /** A plugin bundle with one immediate DS component whose constructor throws. */
    private static void failingComponentJar(Path plugins) throws IOException {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "org.mio.itest.failing");
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Service-Component", "OSGI-INF/failing.xml");
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(plugins.resolve("failing.jar")), mf)) {
            jar.putNextEntry(new java.util.jar.JarEntry("OSGI-INF/failing.xml"));
            jar.write(("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                            + "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.4.0\" name=\"fixture.failing\""
                            + " immediate=\"true\"><implementation class=\"org.mio.itest.fixture.FailingComponent\"/>"
                            + "</scr:component>\n")
                    .getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
            String cls = "org/mio/itest/fixture/FailingComponent.class";
            jar.putNextEntry(new java.util.jar.JarEntry(cls));
            try (var in = FaultCorpusIT.class.getClassLoader().getResourceAsStream(cls)) {
                in.transferTo(jar);
            }
            jar.closeEntry();
        }
    }

    /** What a plugins/ folder needs before the command runs. */
    interface Plugins {
        void in(Path plugins) throws Exception;
    }

    /**
     * A distribution of one's own: the real one's lib/, bundle/ and examples/ linked, bin/, conf/
     * and plugins/ copied, then {@code plugins} changes its plugins/.
     */
    private static Path privateHome(String name, Plugins plugins) throws Exception {
        Path home = Distribution.privateHome(work.resolve("homes").resolve(name));
        plugins.in(home.resolve("plugins"));
        return home;
    }

    record Result(int exit, String out, String err) {}

    /** Runs {@code bin/mio args} in {@code dir}; {@code during}, if given, runs and is followed by SIGTERM. */
    static Result exec(Path home, Path dir, Map<String, String> env, Setup during, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(home.resolve("bin/mio").toString());
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.environment().putAll(env);
        Process p = pb.start();
        if (during != null) {
            during.in(dir);
            p.destroy(); // SIGTERM
        }
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(
                    "mio " + String.join(" ", args) + " did not end within 180 s: " + Files.readString(err));
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** SHA-256 of every regular file under {@code root} (relative path → hash), except those {@code skip} matches. */
    static Map<String, String> hashes(Path root, Pattern skip) throws Exception {
        Map<String, String> m = new TreeMap<>();
        if (!Files.isDirectory(root)) {
            return m;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String rel = root.relativize(p).toString();
                if (skip.matcher(rel).matches() || p.getFileName().toString().equals(".lock")) {
                    continue;
                }
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                try (var in = Files.newInputStream(p)) {
                    byte[] buf = new byte[1 << 16];
                    for (int n; (n = in.read(buf)) > 0; ) {
                        md.update(buf, 0, n);
                    }
                }
                m.put(rel, HexFormat.of().formatHex(md.digest()));
            }
        }
        return m;
    }
}
