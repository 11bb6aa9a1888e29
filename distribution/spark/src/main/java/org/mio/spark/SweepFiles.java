package org.mio.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sweep as the driver read it, shipped to every task: a preset name, or a sweep file with the
 * experiment file it names when that is a file beside it (presets are in every distribution). A
 * task writes the files into its own folder and hands mio the same relative layout, so the trial
 * is the one {@code mio sweep} would run.
 *
 * @param preset the preset's name, or {@code null} for a file
 * @param files file name → content, the sweep file first
 */
record SweepFiles(String preset, Map<String, byte[]> files) implements Serializable {

    /** Reads {@code sweep}: an existing file (and its experiment file, if one is beside it), else a preset name. */
    static SweepFiles read(String sweep) throws IOException {
        Path file = Path.of(sweep);
        if (!Files.isRegularFile(file)) {
            return new SweepFiles(sweep, Map.of());
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        byte[] text = Files.readAllBytes(file);
        files.put(file.getFileName().toString(), text);
        try {
            JsonNode experiment = new ObjectMapper().readTree(text).path("experiment");
            if (experiment.isTextual()) {
                Path beside = file.toAbsolutePath()
                        .getParent()
                        .resolve(experiment.asText())
                        .normalize();
                if (Files.isRegularFile(beside)
                        && beside.getParent()
                                .equals(file.toAbsolutePath().getParent().normalize())) {
                    files.put(beside.getFileName().toString(), Files.readAllBytes(beside));
                }
            }
        } catch (IOException e) {
            // not JSON: mio's own check reports it, with the line and column
        }
        return new SweepFiles(null, files);
    }

    /** Writes the files into {@code dir}; what to pass to {@code mio sweep}: the file's path or the preset. */
    String materialize(Path dir) throws IOException {
        if (preset != null) {
            return preset;
        }
        Files.createDirectories(dir);
        Path first = null;
        for (var e : files.entrySet()) {
            Path f = dir.resolve(e.getKey());
            Files.write(f, e.getValue());
            if (first == null) {
                first = f;
            }
        }
        return first.toString();
    }
}
