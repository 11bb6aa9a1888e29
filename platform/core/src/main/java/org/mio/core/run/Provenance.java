package org.mio.core.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.mio.api.run.PluginInfo;
import org.mio.core.config.Json;
import org.mio.core.registry.Pinned;
import org.mio.core.session.Session;

/**
 * {@code provenance.json} (STYLE.md §5): what ran, with which bundles, on which machine and
 * numerics, and how each session of the run (the first and every resume) ended.
 *
 * @param experiment the experiment, its hash and seed
 * @param bundles every plugin and platform bundle involved
 * @param machine Java, OS and CPU
 * @param numerics backend, BLAS, data type and threads
 * @param gitCommit the source commit, when known
 * @param sessions one entry per start or resume
 * @param status RUNNING, COMPLETED, FAILED or ABORTED
 * @param message how the last session ended
 * @param lastEpoch the last completed epoch, once completed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Provenance(
        Experiment experiment,
        List<BundleUse> bundles,
        Machine machine,
        NumericsInfo numerics,
        String gitCommit,
        List<SessionEntry> sessions,
        String status,
        String message,
        Integer lastEpoch) {

    /** The random streams every run derives from its seed, for the reader of the file. */
    static final String STREAMS = "Rng.derive(seed, path…) with paths init/model, init/estimator, pretrain/k, "
            + "epoch/e/step/s/estimator/j, epoch/e/step/s/model, analysis/e; each split into data, state, noise, "
            + "estimator";

    /**
     * @param name experiment name
     * @param source the file it was loaded from
     * @param configSha256 SHA-256 of the canonical resolved experiment
     * @param seed master seed
     * @param randomStreams how the streams derive from the seed
     */
    public record Experiment(String name, String source, String configSha256, long seed, String randomStreams) {}

    /**
     * @param role task, model, estimator, analyzer or platform
     * @param kind the plugin kind (none for platform bundles)
     * @param bundle symbolic name
     * @param version bundle version
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BundleUse(String role, String kind, String bundle, String version) {}

    /**
     * @param java vendor and version
     * @param os name, version, architecture
     * @param cpu model name
     * @param cores available processors
     * @param maxHeapMiB the JVM's heap limit
     */
    public record Machine(String java, String os, String cpu, int cores, long maxHeapMiB) {}

    /**
     * @param nd4jBackend the ND4J backend
     * @param blas the BLAS library and its kernels
     * @param dataType float or double
     * @param threads BLAS and loop threads
     */
    public record NumericsInfo(String nd4jBackend, String blas, String dataType, int threads) {}

    /**
     * @param started ISO-8601 instant
     * @param resumed whether this session resumed from a checkpoint
     * @param finished ISO-8601 instant, once ended
     * @param status how it ended
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SessionEntry(String started, boolean resumed, String finished, String status) {}

    /**
     * The provenance of a session starting now: the previous sessions of a resumed run are kept.
     *
     * @param previous the run folder's provenance when resuming, else {@code null}
     */
    public static Provenance start(
            Session s,
            List<PluginInfo> platformBundles,
            String backend,
            String blas,
            int threads,
            boolean resumed,
            String gitCommit,
            Provenance previous) {
        var cfg = s.experiment().config();
        Experiment exp = new Experiment(
                cfg.name(), s.experiment().source(), s.experiment().hash(), cfg.seed(), STREAMS);
        List<BundleUse> bundles = new ArrayList<>();
        for (Pinned<?> pin : s.pinned()) {
            bundles.add(new BundleUse(
                    pin.info().type(),
                    pin.info().kind(),
                    pin.info().bundle(),
                    pin.info().version()));
        }
        for (PluginInfo b : platformBundles) {
            bundles.add(new BundleUse("platform", null, b.bundle(), b.version()));
        }
        Machine machine = new Machine(
                System.getProperty("java.vendor") + " " + System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                cpuModel(),
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        List<SessionEntry> sessions = previous == null || previous.sessions() == null
                ? new ArrayList<>()
                : new ArrayList<>(previous.sessions());
        sessions.add(new SessionEntry(Instant.now().toString(), resumed, null, null));
        String git =
                gitCommit != null && !gitCommit.isBlank() ? gitCommit : previous != null ? previous.gitCommit() : null;
        return new Provenance(
                exp,
                bundles,
                machine,
                new NumericsInfo(backend, blas, cfg.dataType(), threads),
                git,
                sessions,
                "RUNNING",
                null,
                previous != null ? previous.lastEpoch() : null);
    }

    /** This provenance with the current session ended. */
    public Provenance finish(String endStatus, String endMessage, Integer epoch) {
        List<SessionEntry> s = new ArrayList<>(sessions);
        SessionEntry cur = s.remove(s.size() - 1);
        s.add(new SessionEntry(cur.started(), cur.resumed(), Instant.now().toString(), endStatus));
        return new Provenance(
                experiment,
                bundles,
                machine,
                numerics,
                gitCommit,
                s,
                endStatus,
                endMessage,
                epoch != null ? epoch : lastEpoch);
    }

    /**
     * Reads a run folder's provenance; keys this version does not know are ignored, so folders of
     * other versions stay readable.
     *
     * @return the provenance, or {@code null} if the folder has none
     */
    public static Provenance read(Path runDir) throws IOException {
        Path f = runDir.resolve(RunFolder.PROVENANCE);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        return Json.MAPPER
                .readerFor(Provenance.class)
                .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .readValue(f.toFile());
    }

    /** A run folder's status ({@code COMPLETED}, …), or empty if it has no readable provenance. */
    public static String status(Path runDir) {
        try {
            Provenance p = read(runDir);
            return p == null || p.status() == null ? "" : p.status();
        } catch (IOException | RuntimeException e) {
            return "";
        }
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
