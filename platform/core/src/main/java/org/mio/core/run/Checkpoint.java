package org.mio.core.run;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.mio.core.config.Json;
import org.mio.numerics.AtomicFiles;
import org.mio.numerics.Npy;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The resumable state of a run after a completed epoch: named groups of tensors (model
 * parameters, model optimizer, estimator state) and the epoch. Written into a fresh folder that
 * then replaces {@code checkpoint/} by renames, so a crash at any moment leaves either the old or
 * the new checkpoint complete.
 *
 * @param epoch last completed epoch (0 = after estimator pre-training)
 * @param configHash SHA-256 of the resolved experiment the state belongs to
 * @param groups group name → tensor name → tensor
 */
public record Checkpoint(int epoch, String configHash, Map<String, Map<String, INDArray>> groups) {
    private static final String STATE = "state.json";

    /** Writes this checkpoint as {@code runDir/checkpoint}. */
    public void save(Path runDir) throws IOException {
        Path target = runDir.resolve("checkpoint");
        Path fresh = runDir.resolve("checkpoint.new");
        Path old = runDir.resolve("checkpoint.old");
        AtomicFiles.deleteTree(fresh);
        Files.createDirectories(fresh);
        for (var g : groups.entrySet()) {
            Path gd = fresh.resolve(g.getKey());
            Files.createDirectories(gd);
            for (var t : g.getValue().entrySet()) {
                Npy.write(gd.resolve(URLEncoder.encode(t.getKey(), StandardCharsets.UTF_8) + ".npy"), t.getValue());
            }
        }
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("epoch", epoch);
        state.put("configHash", configHash);
        state.put("groups", List.copyOf(groups.keySet()));
        AtomicFiles.write(fresh.resolve(STATE), Json.canonical(state).getBytes(StandardCharsets.UTF_8));
        AtomicFiles.deleteTree(old);
        if (Files.exists(target)) {
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
        AtomicFiles.deleteTree(old);
    }

    /**
     * Reads {@code runDir/checkpoint}, or {@code checkpoint.old} if a crash happened between the
     * two renames of {@link #save}.
     *
     * @throws IOException if there is no complete checkpoint
     */
    public static Checkpoint load(Path runDir) throws IOException {
        Path dir = runDir.resolve("checkpoint");
        if (!Files.isRegularFile(dir.resolve(STATE))) {
            dir = runDir.resolve("checkpoint.old");
        }
        if (!Files.isRegularFile(dir.resolve(STATE))) {
            throw new IOException(runDir + " has no checkpoint to resume from");
        }
        var state = Json.MAPPER.readTree(dir.resolve(STATE).toFile());
        Map<String, Map<String, INDArray>> groups = new LinkedHashMap<>();
        for (var g : state.get("groups")) {
            Map<String, INDArray> tensors = new LinkedHashMap<>();
            Path gd = dir.resolve(g.asText());
            try (Stream<Path> files = Files.list(gd)) {
                for (Path f : files.sorted().toList()) {
                    String n = f.getFileName().toString();
                    if (n.endsWith(".npy")) {
                        tensors.put(
                                URLDecoder.decode(n.substring(0, n.length() - 4), StandardCharsets.UTF_8), Npy.read(f));
                    }
                }
            }
            groups.put(g.asText(), tensors);
        }
        return new Checkpoint(
                state.get("epoch").asInt(), state.get("configHash").asText(), groups);
    }
}
