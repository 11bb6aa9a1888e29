package org.mio.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The plugin kit end to end, as a plugin author uses it: {@code mio-plugin-archetype} generates a
 * project of each kind, Maven builds it (compiling against the platform and running its contract
 * test), its jar goes into {@code plugins/} of a distribution, {@code mio plugins} lists it, and
 * the project's {@code experiment.json} runs to the end with it.
 *
 * <p>The nested Maven builds see this build's platform artifacts (not yet installed under
 * {@code mvn verify}) through a repository of their own under {@code target/archetype-it}, to
 * which the test copies them, and everything else through this build's local repository, served
 * to them as a remote {@code file:} repository; they need no network when that holds what this
 * build used.
 */
public class ArchetypeIT {
    private static final List<String> KINDS = List.of("task", "model", "estimator", "analyzer");
    /** The platform artifacts a generated project depends on, with the module folder that builds each. */
    private static final Map<String, String> PLATFORM = Map.of(
            "api", "platform/api",
            "numerics", "platform/numerics",
            "core", "platform/core",
            "testkit", "platform/testkit",
            "critic", "platform/critic",
            "mio-plugin-archetype", "kit/plugin-archetype");

    private static Path work;
    private static Path projects;
    private static Path home;

    @BeforeClass
    public static void generateAndBuildOneProjectOfEachKind() throws Exception {
        work = Path.of("target/archetype-it").toAbsolutePath();
        deleteTree(work);
        projects = Files.createDirectories(work.resolve("projects"));
        Path repo = Files.createDirectories(work.resolve("repository"));
        installPlatform(repo);
        Path settings = work.resolve("settings.xml");
        Files.writeString(settings, settings(Path.of(System.getProperty("mio.outer.repo"))));
        for (String kind : KINDS) {
            maven(projects, settings, repo, generate(kind));
        }
        // one reactor over the four projects: one Maven start-up instead of four
        StringBuilder modules = new StringBuilder();
        KINDS.forEach(k -> modules.append("<module>my-").append(k).append("</module>"));
        Files.writeString(
                projects.resolve("pom.xml"),
                "<project><modelVersion>4.0.0</modelVersion><groupId>org.example</groupId>"
                        + "<artifactId>all</artifactId><version>1</version><packaging>pom</packaging><modules>"
                        + modules + "</modules></project>");
        String build = maven(projects, settings, repo, List.of("package"));
        for (String kind : KINDS) {
            assertTrue(kind + " ran no contract test:\n" + build, build.contains("Tests run:"));
        }
        home = Distribution.privateHome(work.resolve("mio"));
        for (String kind : KINDS) {
            Path jar = projects.resolve("my-" + kind + "/target/my-" + kind + "-1.0.0-SNAPSHOT.jar");
            Files.copy(jar, home.resolve("plugins").resolve(jar.getFileName()));
        }
    }

    @Test
    public void eachProjectHasItsKindsSourcesOnly() throws IOException {
        for (String kind : KINDS) {
            Path src = projects.resolve("my-" + kind + "/src/main/java/org/example/my" + kind);
            String cls = "Example" + Character.toUpperCase(kind.charAt(0)) + kind.substring(1);
            try (Stream<Path> s = Files.list(src)) {
                assertEquals(
                        List.of(cls + ".java"),
                        s.map(p -> p.getFileName().toString()).toList());
            }
            assertTrue(Files.exists(
                    projects.resolve("my-" + kind + "/src/test/java/org/example/my" + kind + "/" + cls + "Test.java")));
            String readme = Files.readString(projects.resolve("my-" + kind + "/README.md"));
            assertTrue(readme, readme.startsWith("# my-" + kind + ": a mio " + kind + " plugin"));
            assertFalse(
                    "an unrendered template line in the README:\n" + readme,
                    readme.contains("#if") || readme.contains("${"));
        }
    }

    @Test
    public void theDistributionListsEveryGeneratedPlugin() throws Exception {
        String plugins = Distribution.mio(home, work, "plugins");
        for (String kind : KINDS) {
            // a line of 'mio plugins' is: <type> <kind> <bundle> <version>
            assertTrue(
                    plugins,
                    plugins.lines()
                            .anyMatch(l ->
                                    l.matches(kind + "\\s+my-" + kind + "\\s+org\\.example\\.my-" + kind + "\\s.*")));
        }
    }

    /**
     * Each project's experiment.json (wm-quick with the new plugin in its kind's place), shortened to 2 epochs of
     * fewer estimator steps.
     */
    @Test
    public void eachProjectsExperimentRunsWithItsPlugin() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (String kind : KINDS) {
            Path run = work.resolve("runs/" + kind);
            Distribution.mio(
                    home,
                    work,
                    "run",
                    projects.resolve("my-" + kind + "/experiment.json").toString(),
                    "--set",
                    "training.epochs=2",
                    // the model example calls ND4J at every step (about 0.1 ms each): fewer forward passes
                    "--set",
                    "training.estimatorPretrainSteps=5",
                    "--set",
                    "training.estimatorSteps=2",
                    "--out",
                    run.toString());
            JsonNode provenance = json.readTree(run.resolve("provenance.json").toFile());
            assertTrue(provenance.toString(), provenance.toString().contains("\"COMPLETED\""));
            assertTrue(provenance.toString(), provenance.toString().contains("org.example.my-" + kind));
            List<String> metrics = Files.readAllLines(run.resolve("metrics.jsonl"));
            assertEquals(2, metrics.size());
            JsonNode last = json.readTree(metrics.get(1));
            switch (kind) {
                case "task" -> assertTrue(last.toString(), last.toString().contains("\"mse\""));
                case "estimator", "model" ->
                    assertTrue(
                            last.toString(),
                            Double.isFinite(last.path("mi_after").asDouble(Double.NaN)));
                default ->
                    assertTrue(Files.readString(run.resolve("analysis.jsonl")).contains("\"pr_g1\""));
            }
        }
    }

    @Test
    public void anUnknownKindIsRefusedAndLeavesNoProject() throws Exception {
        Path dir = Files.createDirectories(work.resolve("refused"));
        List<String> args = new ArrayList<>(generate("widget"));
        Process p = mavenProcess(dir, work.resolve("settings.xml"), work.resolve("repository"), args);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        assertTrue(out, p.exitValue() != 0);
        assertTrue(out, out.contains("kind = widget is not a plugin kind; allowed: task, model, estimator, analyzer"));
        assertFalse(Files.exists(dir.resolve("my-widget")));
    }

    private static List<String> generate(String kind) {
        return List.of(
                "org.apache.maven.plugins:maven-archetype-plugin:" + System.getProperty("mio.archetype.plugin")
                        + ":generate",
                "-DinteractiveMode=false",
                "-DarchetypeGroupId=org.mio",
                "-DarchetypeArtifactId=mio-plugin-archetype",
                "-DarchetypeVersion=" + System.getProperty("mio.version"),
                "-DgroupId=org.example",
                "-DartifactId=my-" + kind,
                "-Dpackage=org.example.my" + kind,
                "-Dkind=" + kind);
    }

    /** This build's platform jars and poms, laid out as a Maven repository holds them. */
    private static void installPlatform(Path repo) throws IOException {
        Path root = Path.of(System.getProperty("mio.root"));
        String version = System.getProperty("mio.version");
        copy(root.resolve("pom.xml"), repo, "mio-parent", version, "pom");
        for (var e : PLATFORM.entrySet()) {
            Path module = root.resolve(e.getValue());
            copy(module.resolve("pom.xml"), repo, e.getKey(), version, "pom");
            copy(module.resolve("target/" + e.getKey() + "-" + version + ".jar"), repo, e.getKey(), version, "jar");
        }
    }

    private static void copy(Path file, Path repo, String artifact, String version, String extension)
            throws IOException {
        assertTrue(file + " is missing: build the platform first", Files.exists(file));
        Path dir = Files.createDirectories(repo.resolve("org/mio/" + artifact + "/" + version));
        Files.copy(file, dir.resolve(artifact + "-" + version + "." + extension));
    }

    /** Settings that add this build's local repository as a (file:) remote for releases and plugins. */
    private static String settings(Path outerRepo) {
        String repository = "<id>outer-local</id><url>" + outerRepo.toUri()
                + "</url><releases><enabled>true</enabled></releases><snapshots><enabled>false</enabled></snapshots>";
        return "<settings><profiles><profile><id>outer</id>"
                + "<repositories><repository>" + repository + "</repository></repositories>"
                + "<pluginRepositories><pluginRepository>" + repository + "</pluginRepository></pluginRepositories>"
                + "</profile></profiles><activeProfiles><activeProfile>outer</activeProfile></activeProfiles></settings>";
    }

    private static Process mavenProcess(Path dir, Path settings, Path repo, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("maven.home"), "bin", "mvn").toString());
        cmd.addAll(List.of("-B", "-s", settings.toString(), "-Dmaven.repo.local=" + repo));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().remove("MAVEN_OPTS");
        return pb.start();
    }

    /** Runs Maven in {@code dir}; its output, after checking status 0. */
    private static String maven(Path dir, Path settings, Path repo, List<String> args) throws Exception {
        Process p = mavenProcess(dir, settings, repo, args);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("mvn " + args + " did not end in 10 minutes", p.waitFor(10, TimeUnit.MINUTES));
        assertEquals("mvn " + args + "\n" + out, 0, p.exitValue());
        return out;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
