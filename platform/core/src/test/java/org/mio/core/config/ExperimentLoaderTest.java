package org.mio.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mio.api.plugin.ConfigException;

/** Every bad experiment gets one line naming file, path, value and what is allowed. */
class ExperimentLoaderTest {
    static final String GOOD = """
            {"seed": 7,
             "task": {"kind": "working-memory", "params": {"pulseWidth": 40}},
             "model": {"kind": "leaky-rnn"},
             "estimator": {"kind": "mine", "params": {}},
             "training": {"epochs": 3, "batchSize": 2, "lambdaMi": 0.1, "estimatorPretrainSteps": 1,
                          "estimatorSteps": 2, "snapshotEvery": 1,
                          "modelOptimizer": {"type": "rmsprop", "learningRate": 0.002, "clipnorm": 4.0}}}
            """;

    @TempDir
    Path dir;

    private String error(String json, String... sets) throws IOException {
        Path f = dir.resolve("exp.json");
        Files.writeString(f, json);
        ConfigException e =
                assertThrows(ConfigException.class, () -> new ExperimentLoader(null).load(f.toString(), List.of(sets)));
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertTrue(!e.getMessage().contains("com.fasterxml"), "no Jackson internals: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void goodFileLoadsWithDefaults() throws IOException {
        Path f = dir.resolve("good.json");
        Files.writeString(f, GOOD);
        var l = new ExperimentLoader(null).load(f.toString(), List.of());
        assertEquals("good", l.config().name());
        assertEquals("float", l.config().dataType());
        assertEquals(1, l.config().training().modelStepsPerEpoch());
        assertEquals(1, l.config().training().checkpointEvery());
        assertEquals(InitialState.ZEROS, l.config().training().initialStates().estimator());
        assertEquals(0.9, l.config().training().modelOptimizer().rho());
        assertEquals(40, l.config().task().params().get("pulseWidth").asInt());
        assertEquals(64, l.hash().length());
    }

    @Test
    void notJson() throws IOException {
        String m = error("{\"seed\": }");
        assertTrue(m.startsWith("exp.json: not valid JSON at line 1, column 10: Unexpected character ('}'"), m);
        assertTrue(error("").startsWith("exp.json: empty file"), error(""));
    }

    @Test
    void unknownKeyListsTheAllowedOnes() throws IOException {
        String m = error(GOOD.replace("\"epochs\": 3", "\"epochs\": 3, \"epocs\": 4"));
        assertTrue(
                m.startsWith("exp.json: training.epocs is not a known key; allowed here: batchSize, checkpointEvery,"),
                m);
    }

    @Test
    void missingRequiredKey() throws IOException {
        assertEquals(
                "exp.json: training.epochs is required (a whole number); present keys: batchSize, lambdaMi, "
                        + "estimatorPretrainSteps, estimatorSteps, snapshotEvery, modelOptimizer",
                error(GOOD.replace("\"epochs\": 3, ", "")));
        assertEquals(
                "exp.json: seed is required (a whole number); present keys: task, model, estimator, training, name",
                error(GOOD.replace("\"seed\": 7,", "")));
        assertEquals("exp.json: model is required", error(GOOD.replace("\"model\": {\"kind\": \"leaky-rnn\"},", "")));
    }

    @Test
    void wrongType() throws IOException {
        assertEquals(
                "exp.json: training.epochs must be a whole number, found \"three\"",
                error(GOOD.replace("\"epochs\": 3", "\"epochs\": \"three\"")));
        assertEquals(
                "exp.json: training.batchSize must be a whole number, found 2.5",
                error(GOOD.replace("\"batchSize\": 2", "\"batchSize\": 2.5")));
        assertEquals(
                "exp.json: training.lambdaMi must be a number, found \"0.1\"",
                error(GOOD.replace("\"lambdaMi\": 0.1", "\"lambdaMi\": \"0.1\"")));
    }

    @Test
    void outOfRangeValueNamesFieldValueAndRange() throws IOException {
        assertEquals(
                "exp.json: training.modelOptimizer.learningRate must be in (0, 1], found -0.01",
                error(GOOD.replace("\"learningRate\": 0.002", "\"learningRate\": -0.01")));
        assertEquals(
                "exp.json: training.lambdaMi must be a finite number ≥ 0, found -1.0",
                error(GOOD, "training.lambdaMi=-1"));
    }

    @Test
    void badPluginKindSyntax() throws IOException {
        assertEquals(
                "exp.json: task.kind must be lowercase letters, digits and dashes (e.g. working-memory), found Working Memory",
                error(GOOD.replace("\"working-memory\"", "\"Working Memory\"")));
    }

    @Test
    void overridesSetNestedValuesAndCreateObjects() throws IOException {
        Path f = dir.resolve("o.json");
        Files.writeString(f, GOOD);
        var l = new ExperimentLoader(null)
                .load(
                        f.toString(),
                        List.of("training.epochs=9", "model.params.hidden=12", "name=renamed", "training.maxLoss=1e3"));
        assertEquals(9, l.config().training().epochs());
        assertEquals(12, l.config().model().params().get("hidden").asInt());
        assertEquals("renamed", l.config().name());
        assertEquals(1000.0, l.config().training().maxLoss());
        assertTrue(error(GOOD, "training.epochs").startsWith("--set training.epochs: expected path=value"));
        // an index that does not fit an int is a bad input with one line, not a crash
        assertEquals(
                "--set analysis[99999999999].params.x=1: analysis has no element 99999999999",
                error(GOOD, "analysis[99999999999].params.x=1"));
    }

    @Test
    void presetsResolveByName() throws IOException {
        Files.writeString(dir.resolve("quick.json"), GOOD);
        var loader = new ExperimentLoader(dir);
        assertEquals("quick", loader.load("quick", List.of()).config().name());
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load("nope", List.of()));
        assertEquals("nope: no such experiment file or preset; presets: quick", e.getMessage());
    }

    @Test
    void pluginParamsBindStrictlyWithPaths() {
        record Params(int hidden, Double noise) {
            Params {
                if (hidden < 1) {
                    throw new IllegalArgumentException("hidden must be ≥ 1, found " + hidden);
                }
                noise = noise == null ? 0.1 : noise;
            }
        }
        var node = Json.parse("{\"hidden\": 0}", "e.json");
        var p = new JsonPluginParams(node, "e.json", "model.params");
        assertEquals(
                "e.json: model.params.hidden must be ≥ 1, found 0",
                assertThrows(ConfigException.class, () -> p.as(Params.class)).getMessage());
        var ok = new JsonPluginParams(Json.parse("{\"hidden\": 5}", "e.json"), "e.json", "model.params")
                .as(Params.class);
        assertEquals(0.1, ok.noise());
        assertEquals(
                "e.json: model.params.hidden is required (a whole number); present keys: (none)",
                assertThrows(
                                ConfigException.class,
                                () -> new JsonPluginParams(Json.parse("{}", "e.json"), "e.json", "model.params")
                                        .as(Params.class))
                        .getMessage());
    }

    /** Bytes that are not UTF-8 name the file and the byte offset, and nothing is read on. */
    @Test
    void nonUtf8BytesNameTheFileAndTheOffset() throws IOException {
        Path f = dir.resolve("latin1.json");
        byte[] head = "{\"name\": \"caf".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] bytes = java.util.Arrays.copyOf(head, head.length + 3);
        bytes[head.length] = (byte) 0xe9; // é in Latin-1, not UTF-8
        bytes[head.length + 1] = '"';
        bytes[head.length + 2] = '}';
        Files.write(f, bytes);
        var e = org.junit.jupiter.api.Assertions.assertThrows(
                org.mio.api.plugin.ConfigException.class,
                () -> new ExperimentLoader(null).load(f.toString(), List.of()));
        assertEquals(
                f + ": not UTF-8 text: byte offset " + head.length + " (0xe9) starts no valid character",
                e.getMessage());
    }
}
