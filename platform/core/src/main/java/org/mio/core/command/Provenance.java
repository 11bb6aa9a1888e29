package org.mio.core.command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mio.api.run.PluginInfo;
import org.mio.core.registry.Pinned;
import org.mio.core.train.Session;

/** Builds the content of {@code provenance.json} (STYLE.md §5). */
final class Provenance {
    private Provenance() {}

    static Map<String, Object> start(Session s, List<PluginInfo> platformBundles, String backend, String blas,
            int threads, boolean resumed, Map<String, Object> previous) {
        Map<String, Object> p = previous == null ? new LinkedHashMap<>() : new LinkedHashMap<>(previous);
        var cfg = s.experiment().config();
        Map<String, Object> exp = new LinkedHashMap<>();
        exp.put("name", cfg.name());
        exp.put("source", s.experiment().source());
        exp.put("configSha256", s.experiment().hash());
        exp.put("seed", cfg.seed());
        exp.put("randomStreams", "Rng.derive(seed, path…) with paths init/model, init/estimator, pretrain/k, "
                + "epoch/e/step/s/estimator/j, epoch/e/step/s/model, analysis/e; each split into data, state, noise, "
                + "estimator");
        p.put("experiment", exp);
        List<Map<String, String>> bundles = new ArrayList<>();
        for (Pinned<?> pin : s.pinned()) {
            bundles.add(Map.of("role", pin.info().type(), "kind", pin.info().kind(), "bundle", pin.info().bundle(),
                    "version", pin.info().version()));
        }
        for (PluginInfo b : platformBundles) {
            bundles.add(Map.of("role", "platform", "bundle", b.bundle(), "version", b.version()));
        }
        p.put("bundles", bundles);
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("java", System.getProperty("java.vendor") + " " + System.getProperty("java.version"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        machine.put("cpu", cpuModel());
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("maxHeapMiB", Runtime.getRuntime().maxMemory() >> 20);
        p.put("machine", machine);
        Map<String, Object> num = new LinkedHashMap<>();
        num.put("nd4jBackend", backend);
        num.put("blas", blas);
        num.put("dataType", cfg.dataType());
        num.put("threads", threads);
        p.put("numerics", num);
        String git = System.getProperty("mio.git.commit");
        if (git != null && !git.isBlank()) {
            p.put("gitCommit", git);
        }
        @SuppressWarnings("unchecked")
        List<Object> sessions = p.get("sessions") instanceof List<?> l ? new ArrayList<>((List<Object>) l)
                : new ArrayList<>();
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("started", Instant.now().toString());
        session.put("resumed", resumed);
        sessions.add(session);
        p.put("sessions", sessions);
        p.put("status", "RUNNING");
        return p;
    }

    @SuppressWarnings("unchecked")
    static void finish(Map<String, Object> p, String status, String message, Integer lastEpoch) {
        p.put("status", status);
        p.put("message", message);
        if (lastEpoch != null) {
            p.put("lastEpoch", lastEpoch);
        }
        List<Object> sessions = (List<Object>) p.get("sessions");
        Map<String, Object> current = (Map<String, Object>) sessions.get(sessions.size() - 1);
        current.put("finished", Instant.now().toString());
        current.put("status", status);
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: leave unknown
        }
        return System.getProperty("os.arch");
    }
}
