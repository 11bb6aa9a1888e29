package org.mio.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.mio.api.plugin.ConfigException;

/**
 * Reads an experiment: a JSON file or a preset name (a file {@code <name>.json} in the presets
 * folder), applies {@code --set} overrides and binds it strictly.
 */
public final class ExperimentLoader {
    private final Path presets;

    /** @param presets folder of preset files; may be {@code null} or missing */
    public ExperimentLoader(Path presets) {
        this.presets = presets;
    }

    /** A loaded experiment: its resolved tree, the bound config and where it came from. */
    public record Loaded(ObjectNode tree, ExperimentConfig config, String source) {
        /** Canonical resolved JSON. */
        public String canonical() {
            return Json.canonical(tree);
        }

        /** SHA-256 of {@link #canonical()}. */
        public String hash() {
            return Json.sha256(canonical());
        }
    }

    /** Loads a file or preset and applies overrides. */
    public Loaded load(String fileOrPreset, List<String> overrides) {
        Path file = locate(fileOrPreset);
        String text;
        try {
            text = Json.readUtf8(file);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage());
        }
        String source = file.getFileName().toString();
        String defaultName = source.endsWith(".json") ? source.substring(0, source.length() - 5) : source;
        return fromText(text, source, defaultName, overrides);
    }

    /** Loads JSON text (e.g. a run folder's resolved experiment). */
    public static Loaded fromText(String text, String source, String defaultName, List<String> overrides) {
        JsonNode parsed = Json.parse(text, source);
        if (!(parsed instanceof ObjectNode tree)) {
            throw new ConfigException(source + ": the experiment must be a JSON object, found " + parsed.getNodeType());
        }
        Overrides.apply(tree, overrides);
        if (!tree.hasNonNull("name")) {
            tree.put("name", defaultName.replaceAll("[^A-Za-z0-9._-]", "_"));
        }
        ExperimentConfig config = Json.bind(tree, ExperimentConfig.class, source, "");
        return new Loaded(tree, config, source);
    }

    private Path locate(String fileOrPreset) {
        Path p = Path.of(fileOrPreset);
        if (Files.isRegularFile(p)) {
            return p;
        }
        if (presets != null && !fileOrPreset.contains("/") && !fileOrPreset.endsWith(".json")) {
            Path preset = presets.resolve(fileOrPreset + ".json");
            if (Files.isRegularFile(preset)) {
                return preset;
            }
        }
        throw new ConfigException(
                fileOrPreset + ": no such experiment file or preset; presets: " + String.join(", ", presetNames()));
    }

    /** Names of the presets available. */
    public List<String> presetNames() {
        List<String> names = new ArrayList<>();
        if (presets != null && Files.isDirectory(presets)) {
            try (Stream<Path> s = Files.list(presets)) {
                s.map(f -> f.getFileName().toString())
                        .filter(n -> n.endsWith(".json"))
                        .map(n -> n.substring(0, n.length() - 5))
                        .sorted()
                        .forEach(names::add);
            } catch (IOException e) {
                // no presets listed
            }
        }
        if (names.isEmpty()) {
            names.add("(none)");
        }
        return names;
    }
}
