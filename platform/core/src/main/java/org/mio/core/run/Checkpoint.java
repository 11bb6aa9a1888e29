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

    /** A checkpoint that exists but cannot be trusted; the message names the file and what is wrong. */
    public static final class Damaged extends IOException {
        private static final long serialVersionUID = 1L;

        /** @param message one line: the file and what is wrong with it */
        public Damaged(String message) {
            super(message);
        }
    }

    /** Writes this checkpoint as {@code runDir/checkpoint}. */
    public void save(Path runDir) throws IOException {
        Path target = runDir.resolve("checkpoint");
        Path fresh = runDir.resolve("checkpoint.new");
        Path old = runDir.resolve("checkpoint.old");
        AtomicFiles.deleteTree(fresh);
        Files.createDirectories(fresh);
        Map<String, Object> files = new LinkedHashMap<>();
        for (var g : groups.entrySet()) {
            Path gd = fresh.resolve(g.getKey());
            Files.createDirectories(gd);
            for (var t : g.getValue().entrySet()) {
                String name = URLEncoder.encode(t.getKey(), StandardCharsets.UTF_8) + ".npy";
                Path f = gd.resolve(name);
                Npy.write(f, t.getValue());
                files.put(g.getKey() + "/" + name, Map.of("bytes", Files.size(f), "sha256", sha256(f)));
            }
        }
        // the manifest, written last: a checkpoint is the files it lists, with these sizes and digests
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("epoch", epoch);
        state.put("configHash", configHash);
        state.put("groups", List.copyOf(groups.keySet()));
        state.put("files", files);
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
     * two renames of {@link #save}, and checks every file against the manifest ({@code state.json}:
     * sizes and SHA-256 digests) before anything is trusted. Checkpoints written before manifests
     * had digests are read without that check.
     *
     * @return the checkpoint, or {@code null} if the run has none yet (stopped before its first)
     * @throws Damaged naming the file and what is wrong with it
     * @throws IOException if a file cannot be read
     */
    public static Checkpoint load(Path runDir) throws IOException {
        Path dir = runDir.resolve("checkpoint");
        if (!Files.isRegularFile(dir.resolve(STATE))) {
            dir = runDir.resolve("checkpoint.old");
        }
        if (!Files.isRegularFile(dir.resolve(STATE))) {
            if (Files.isDirectory(runDir.resolve("checkpoint"))) {
                throw new Damaged(
                        runDir.resolve("checkpoint").resolve(STATE) + ": missing; the checkpoint is incomplete");
            }
            return null;
        }
        Path stateFile = dir.resolve(STATE);
        com.fasterxml.jackson.databind.JsonNode state;
        try {
            state = Json.MAPPER.readTree(stateFile.toFile());
        } catch (IOException e) {
            throw new Damaged(stateFile + ": not a checkpoint manifest (" + firstLine(e) + ")");
        }
        if (state == null
                || !state.path("epoch").canConvertToInt()
                || !state.path("epoch").isIntegralNumber()
                || state.path("epoch").asInt() < 0
                || !state.path("configHash").isTextual()
                || !state.path("groups").isArray()) {
            throw new Damaged(stateFile + ": not a checkpoint manifest (needs epoch ≥ 0, configHash and groups)");
        }
        var files = state.get("files");
        if (files != null) {
            for (var e : (Iterable<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>>) files::fields) {
                Path f = dir.resolve(e.getKey());
                if (!Files.isRegularFile(f)) {
                    throw new Damaged(f + ": missing; the checkpoint's manifest lists it");
                }
                long bytes = e.getValue().path("bytes").asLong(-1);
                if (Files.size(f) != bytes) {
                    throw new Damaged(f + ": " + Files.size(f) + " bytes, the checkpoint's manifest says " + bytes
                            + " (truncated or replaced)");
                }
                if (!sha256(f).equals(e.getValue().path("sha256").asText())) {
                    throw new Damaged(
                            f + ": its SHA-256 differs from the checkpoint's manifest (the file was changed)");
                }
            }
        }
        Map<String, Map<String, INDArray>> groups = new LinkedHashMap<>();
        for (var g : state.get("groups")) {
            Map<String, INDArray> tensors = new LinkedHashMap<>();
            Path gd = dir.resolve(g.asText());
            if (!Files.isDirectory(gd)) {
                throw new Damaged(gd + ": missing; the checkpoint's manifest lists the group " + g.asText());
            }
            try (Stream<Path> list = Files.list(gd)) {
                for (Path f : list.sorted().toList()) {
                    String n = f.getFileName().toString();
                    if (n.endsWith(".npy")) {
                        try {
                            tensors.put(
                                    URLDecoder.decode(n.substring(0, n.length() - 4), StandardCharsets.UTF_8),
                                    Npy.read(f));
                        } catch (IOException | RuntimeException e) {
                            throw new Damaged(f + ": not a readable .npy array (" + firstLine(e) + ")");
                        }
                    }
                }
            }
            groups.put(g.asText(), tensors);
        }
        return new Checkpoint(
                state.get("epoch").asInt(), state.get("configHash").asText(), groups);
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static String sha256(Path f) throws IOException {
        try {
            var md = java.security.MessageDigest.getInstance("SHA-256");
            try (var in = Files.newInputStream(f)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    md.update(buf, 0, n);
                }
            }
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
