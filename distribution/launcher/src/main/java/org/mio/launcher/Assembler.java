package org.mio.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.osgi.framework.Version;

/**
 * Assembles a distribution folder from a descriptor and checks that its bundles resolve.
 *
 * <p>A descriptor lists bundles by symbolic name, one per line, each in a section:
 * <pre>
 * # comment
 * platform org.mio.core            # bundle/: started at launch
 * shell    org.apache.felix.gogo.shell  # bundle-shell/: added by 'mio shell'
 * plugin   org.mio.task-working-memory 0.1.0   # plugins/: hot-deployable; optional exact version
 * </pre>
 * Bundles are taken from pool folders (the distribution's {@code pool/} and any {@code --pool}),
 * the highest version unless the line names one. The folder is written only if the check passes.
 *
 * <pre>
 * mio assemble DESCRIPTOR --out DIR [--pool DIR]... [--replace]
 *       [--lib DIR] [--bin DIR] [--template DIR]     (defaults: this distribution's lib/, bin/, itself)
 * </pre>
 */
public final class Assembler {
    private Assembler() {}

    record Line(int number, String section, String bsn, String version) {}

    record Candidate(Path jar, String bsn, Version version) {}

    /** Runs the {@code assemble} command; returns the exit status (0 ok, 1 check failed, 2 usage). */
    public static int command(String[] args, Path home) throws Exception {
        Path descriptor = null;
        Path out = null;
        Path lib = home.resolve("lib");
        Path bin = home.resolve("bin");
        Path template = home;
        boolean replace = false;
        List<Path> pools = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(arg(args, ++i, "--out"));
                case "--pool" -> pools.add(Path.of(arg(args, ++i, "--pool")));
                case "--lib" -> lib = Path.of(arg(args, ++i, "--lib"));
                case "--bin" -> bin = Path.of(arg(args, ++i, "--bin"));
                case "--template" -> template = Path.of(arg(args, ++i, "--template"));
                case "--replace" -> replace = true;
                default -> {
                    if (descriptor != null || args[i].startsWith("-")) {
                        System.err.println("mio assemble: unexpected argument " + args[i]);
                        return 2;
                    }
                    descriptor = Path.of(args[i]);
                }
            }
        }
        if (descriptor == null || out == null) {
            System.err.println("usage: mio assemble DESCRIPTOR --out DIR [--pool DIR]... [--replace]");
            return 2;
        }
        if (!Files.isRegularFile(descriptor)) {
            System.err.println("mio assemble: " + descriptor
                    + (Files.isDirectory(descriptor) ? " is a folder, not a descriptor" : ": no such descriptor file")
                    + " (see docs/distributions.md)");
            return 2;
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            System.err.println("mio assemble: --out " + out + " is a file; name a new folder");
            return 2;
        }
        if (Files.isDirectory(home.resolve("pool"))) {
            pools.add(0, home.resolve("pool"));
        }
        List<String> problems = new ArrayList<>();
        List<Line> lines = parse(descriptor, problems);
        Map<String, List<Candidate>> index = index(pools);
        Map<String, List<Path>> sections = new LinkedHashMap<>();
        for (String s : new String[] {"platform", "shell", "plugin"}) {
            sections.put(s, new ArrayList<>());
        }
        for (Line l : lines) {
            Candidate c = choose(l, index.getOrDefault(l.bsn(), List.of()));
            if (c == null) {
                problems.add(descriptor.getFileName() + ":" + l.number() + ": no bundle " + l.bsn()
                        + (l.version() == null ? "" : " " + l.version()) + " in " + pools);
            } else {
                sections.get(l.section()).add(c.jar());
            }
        }
        if (problems.isEmpty()) {
            List<Path> all = new ArrayList<>();
            sections.values().forEach(all::addAll);
            problems.addAll(ResolutionCheck.check(Frameworks.jars(lib), all));
        }
        if (!problems.isEmpty()) {
            System.err.println("mio assemble: " + descriptor + " does not make a working distribution:");
            problems.forEach(p -> System.err.println("  " + p));
            return 2;
        }
        if (Files.exists(out)) {
            if (!replace && !isEmpty(out)) {
                System.err.println("mio assemble: " + out + " exists; choose another --out or pass --replace");
                return 2;
            }
            Frameworks.deleteQuietly(out);
        }
        write(out, sections, pools, lib, bin, template, descriptor);
        int n = sections.values().stream().mapToInt(List::size).sum();
        System.out.println("assembled " + out + ": " + n + " bundles ("
                + sections.get("plugin").size() + " plugins), resolution check passed");
        return 0;
    }

    private static void write(
            Path out,
            Map<String, List<Path>> sections,
            List<Path> pools,
            Path lib,
            Path bin,
            Path template,
            Path descriptor)
            throws IOException {
        Files.createDirectories(out);
        copyAll(Frameworks.jars(lib), out.resolve("lib"));
        copyAll(Frameworks.jars(bin), out.resolve("bin"));
        copyAll(sections.get("platform"), out.resolve("bundle"));
        copyAll(sections.get("shell"), out.resolve("bundle-shell"));
        copyAll(sections.get("plugin"), out.resolve("plugins"));
        List<Path> pooled = new ArrayList<>();
        for (Path p : pools) {
            pooled.addAll(Frameworks.jars(p));
        }
        copyAll(pooled, out.resolve("pool"));
        // spark/: the job jar of mio sweep --engine spark, when the template (an installed distribution) has it
        for (String dir : new String[] {"conf", "examples", "spark"}) {
            Path src = template.resolve(dir);
            if (Files.isDirectory(src)) {
                try (Stream<Path> s = Files.walk(src)) {
                    for (Path f : s.filter(Files::isRegularFile).toList()) {
                        Path target = out.resolve(dir).resolve(src.relativize(f).toString());
                        Files.createDirectories(target.getParent());
                        Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        Path script = template.resolve("bin/mio");
        if (Files.isRegularFile(script)) {
            Files.copy(script, out.resolve("bin/mio"), StandardCopyOption.REPLACE_EXISTING);
            out.resolve("bin/mio").toFile().setExecutable(true);
        }
        Files.copy(descriptor, out.resolve("distribution.descriptor"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static void copyAll(List<Path> jars, Path dir) throws IOException {
        Files.createDirectories(dir);
        for (Path j : jars) {
            Files.copy(j, dir.resolve(j.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static List<Line> parse(Path descriptor, List<String> problems) throws IOException {
        List<Line> out = new ArrayList<>();
        List<String> text = Files.readAllLines(descriptor);
        for (int i = 0; i < text.size(); i++) {
            String t = text.get(i).replaceAll("#.*", "").trim();
            if (t.isEmpty()) {
                continue;
            }
            String[] w = t.split("\\s+");
            String where = descriptor.getFileName() + ":" + (i + 1) + ": ";
            if (w.length < 2
                    || w.length > 3
                    || !List.of("platform", "shell", "plugin").contains(w[0])) {
                problems.add(where + "expected '<platform|shell|plugin> <bundle-symbolic-name> [version]', found '" + t
                        + "'");
                continue;
            }
            if (w.length == 3) {
                try {
                    Version.parseVersion(w[2]);
                } catch (IllegalArgumentException e) {
                    problems.add(where + "'" + w[2] + "' is not a bundle version like 0.1.0");
                    continue;
                }
            }
            out.add(new Line(i + 1, w[0], w[1], w.length == 3 ? w[2] : null));
        }
        return out;
    }

    private static Map<String, List<Candidate>> index(List<Path> pools) throws IOException {
        Map<String, List<Candidate>> idx = new LinkedHashMap<>();
        for (Path pool : pools) {
            for (Path jar : Frameworks.jars(pool)) {
                try (JarFile jf = new JarFile(jar.toFile())) {
                    var mf = jf.getManifest();
                    String bsn = mf == null ? null : mf.getMainAttributes().getValue("Bundle-SymbolicName");
                    if (bsn == null) {
                        continue;
                    }
                    bsn = bsn.split(";")[0].trim();
                    String v = mf.getMainAttributes().getValue("Bundle-Version");
                    idx.computeIfAbsent(bsn, k -> new ArrayList<>())
                            .add(new Candidate(jar, bsn, Version.parseVersion(v == null ? "0" : v.trim())));
                }
            }
        }
        return idx;
    }

    private static Candidate choose(Line l, List<Candidate> candidates) {
        Candidate best = null;
        for (Candidate c : candidates) {
            if (l.version() != null && !c.version().equals(Version.parseVersion(l.version()))) {
                continue;
            }
            if (best == null || c.version().compareTo(best.version()) >= 0) {
                best = c;
            }
        }
        return best;
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    private static String arg(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
