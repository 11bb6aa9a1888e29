package org.mio.itest;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemPackages;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.UUID;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.mio.api.run.ExperimentService;
import org.mio.launcher.SystemPackages;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/** The assembled standard distribution as Pax Exam options, and fixture plugin bundles built on the fly. */
final class Distribution {
    private Distribution() {}

    /** Folders made by {@link #tempDir}, deleted when the JVM ends. */
    private static final List<Path> TEMP = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * A new temporary folder, deleted with everything in it when the tests' JVM ends (a test run
     * left about 1 GB behind otherwise: assembled distributions, run folders, browser profiles),
     * unless {@code -Dmio.itest.keep=true} asks to keep what a failing test wrote.
     */
    static Path tempDir(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        if (!Boolean.getBoolean("mio.itest.keep")) {
            synchronized (TEMP) {
                if (TEMP.isEmpty()) {
                    Runtime.getRuntime()
                            .addShutdownHook(new Thread(() -> TEMP.forEach(Distribution::deleteTree), "itest-cleanup"));
                }
                TEMP.add(dir);
            }
        }
        return dir;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException e) {
            // the JVM is ending; what cannot be deleted stays in the temporary folder
        }
    }

    static Path home() {
        return Path.of(System.getProperty("mio.dist", "../standard/target/mio"))
                .toAbsolutePath()
                .normalize();
    }

    /** Every bundle of {@code bundle/} and {@code plugins/}, with the class-path packages exported. */
    static Option[] options() throws IOException {
        List<Option> o = new ArrayList<>();
        o.add(junitBundles());
        o.add(cleanCaches(true));
        String extra = SystemPackages.extra(jars(home().resolve("lib")));
        o.add(systemPackages(extra.split(",")));
        o.add(systemProperty("java.awt.headless").value("true"));
        if (System.getProperty("mio.chromium") != null) {
            o.add(systemProperty("mio.chromium").value(System.getProperty("mio.chromium")));
        }
        for (Path j : jars(home().resolve("bundle"))) {
            o.add(bundle(j.toUri().toString()));
        }
        for (Path j : jars(home().resolve("plugins"))) {
            o.add(bundle(j.toUri().toString()));
        }
        return o.toArray(Option[]::new);
    }

    /**
     * Configures the platform as the launcher does (Configuration Admin, PID {@code org.mio.core}:
     * the distribution's presets, runs under a temporary folder, a 5 s plugin wait) and returns the
     * run service once it runs with that configuration.
     */
    static ExperimentService configured(BundleContext ctx) throws Exception {
        ServiceReference<ConfigurationAdmin> ref = ctx.getServiceReference(ConfigurationAdmin.class);
        if (ref == null) {
            throw new AssertionError("Configuration Admin is not running");
        }
        String token = UUID.randomUUID().toString();
        Dictionary<String, Object> d = new Hashtable<>();
        d.put("presets", home().resolve("examples").toString());
        d.put("runs", tempDir("mio-runs").toString());
        d.put("pluginWaitMs", 5000L);
        d.put("mio.launch", token);
        ctx.getService(ref).getConfiguration("org.mio.core", null).update(d);
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            var refs = ctx.getServiceReferences(ExperimentService.class, "(mio.launch=" + token + ")");
            if (!refs.isEmpty()) {
                return ctx.getService(refs.iterator().next());
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the run service did not take its configuration within 30 s");
    }

    /** The regular files of a folder, sorted. */
    static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    static List<Path> jars(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
    }

    /**
     * A fixture plugin bundle ({@code org.mio.itest.fixture}) with the given version and label,
     * made from the compiled classes of the fixture package.
     */
    static InputStream fixture(String version, String label, long delayMs) throws IOException {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "org.mio.itest.fixture");
        a.putValue("Bundle-Version", version);
        a.putValue("Bundle-Activator", "org.mio.itest.fixture.FixtureActivator");
        a.putValue(
                "Import-Package",
                "org.mio.api.task;version=\"[1.0,2)\",org.mio.api.model;version=\"[1.0,2)\","
                        + "org.mio.api.estimator;version=\"[1.0,2)\",org.mio.api.plugin;version=\"[1.0,2)\","
                        + "org.nd4j.linalg.api.ndarray,org.nd4j.linalg.api.buffer,org.nd4j.linalg.factory,"
                        + "org.nd4j.linalg.indexing,org.osgi.framework");
        a.putValue("Fixture-Label", label);
        a.putValue("Fixture-Delay-Ms", Long.toString(delayMs));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, mf)) {
            String pkg = "org/mio/itest/fixture/";
            for (String cls : List.of(
                    "FixtureActivator",
                    "FixtureTask",
                    "FixtureTask$1",
                    "FixtureModel",
                    "FixtureModel$1",
                    "FixtureModel$1$1",
                    "FixtureEstimator",
                    "FixtureEstimator$1")) {
                try (InputStream in = Distribution.class.getClassLoader().getResourceAsStream(pkg + cls + ".class")) {
                    if (in == null) {
                        throw new IOException("fixture class " + cls + " not found");
                    }
                    jar.putNextEntry(new JarEntry(pkg + cls + ".class"));
                    in.transferTo(jar);
                    jar.closeEntry();
                }
            }
        }
        return new java.io.ByteArrayInputStream(bytes.toByteArray());
    }

    /** A tiny experiment on the fixture plugins. */
    static Path fixtureExperiment(Path dir, int epochs) throws IOException {
        Path f = dir.resolve("fixture.json");
        Files.writeString(f, """
                {"seed": 3,
                 "task": {"kind": "fixture-task"}, "model": {"kind": "fixture-model"}, "estimator": {"kind": "fixture-mi"},
                 "training": {"epochs": %d, "batchSize": 2, "lambdaMi": 0.1, "estimatorPretrainSteps": 1,
                              "estimatorSteps": 1, "snapshotEvery": 1,
                              "modelOptimizer": {"type": "rmsprop", "learningRate": 0.001}}}
                """.formatted(epochs));
        return f;
    }

    /**
     * A distribution of one's own in {@code home}: the real one's lib/, bundle/ and examples/
     * linked, bin/, conf/ and plugins/ copied, so a test can change its plugins/.
     */
    static Path privateHome(Path home) throws IOException {
        Path dist = home();
        Files.createDirectories(home);
        for (String d : new String[] {"lib", "bundle", "examples"}) {
            Files.createSymbolicLink(home.resolve(d), dist.resolve(d));
        }
        for (String d : new String[] {"bin", "conf", "plugins"}) {
            Files.createDirectories(home.resolve(d));
            for (Path f : files(dist.resolve(d))) {
                Files.copy(f, home.resolve(d).resolve(f.getFileName()));
            }
        }
        home.resolve("bin/mio").toFile().setExecutable(true);
        return home;
    }

    /** Runs {@code bin/mio} of a distribution in {@code work}; its output, after checking status 0. */
    static String mio(Path dist, Path work, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(dist.resolve("bin/mio").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .directory(work.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        org.junit.Assert.assertTrue(
                "mio did not end in 5 minutes", p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES));
        org.junit.Assert.assertEquals(String.join(" ", args) + "\n" + out, 0, p.exitValue());
        return out;
    }

    /** A jar with only a manifest of these main headers (Manifest-Version added). */
    static void manifestJar(Path jar, String... headers) throws IOException {
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        for (int i = 0; i < headers.length; i += 2) {
            mf.getMainAttributes().putValue(headers[i], headers[i + 1]);
        }
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), mf)) {
            out.flush();
        }
    }

    /**
     * Each row of a {@code .jsonl} file as JSON text without its wall-clock {@code seconds}: equal
     * text means equal doubles, bit for bit (Jackson writes the shortest decimal that reads back).
     */
    static List<String> rowsWithoutSeconds(Path jsonl) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> out = new ArrayList<>();
        for (String l : Files.readAllLines(jsonl)) {
            out.add(withoutSeconds(json.readTree(l)).toString());
        }
        return out;
    }

    /** {@code n} with every {@code seconds} field removed, at any depth. */
    static JsonNode withoutSeconds(JsonNode n) {
        if (n instanceof ObjectNode o) {
            o.remove("seconds");
            o.fields().forEachRemaining(e -> withoutSeconds(e.getValue()));
        } else if (n instanceof ArrayNode a) {
            a.forEach(Distribution::withoutSeconds);
        }
        return n;
    }

    /** A version-1 {@code .npy} with any header text, so bad headers can be made too. */
    static void npy(Path f, String descr, String shape, byte[] data) throws IOException {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int total = 10 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93)
                .put("NUMPY".getBytes(StandardCharsets.US_ASCII))
                .put((byte) 1)
                .put((byte) 0);
        b.putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.US_ASCII)).put(data);
        Files.write(f, b.array());
    }
}
