package org.mio.core.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mio.core.config.Json;
import org.mio.numerics.AtomicFiles;

/**
 * The files of one run folder. Whole files are written atomically (temporary file + rename);
 * per-epoch rows are appended to {@code metrics.jsonl} and mirrored in {@code metrics.csv}.
 *
 * <pre>
 * experiment.json      the resolved experiment (overrides applied, defaults named)
 * provenance.json      hashes, seeds, bundles, machine, timings, status
 * metrics.jsonl/.csv   one row per epoch
 * analysis.jsonl/.csv  one row per snapshot: the analyzers' scalars
 * snapshots/epoch-NNNN/*.npy   weights (and analyzer arrays) at snapshot epochs
 * checkpoint/          the last resumable state
 * summary.json         final metrics and analyses
 * </pre>
 */
public final class RunFolder {
    /** Resolved experiment file name. */
    public static final String EXPERIMENT = "experiment.json";
    /** Per-epoch rows. */
    public static final String METRICS = "metrics.jsonl";
    /** Per-snapshot rows. */
    public static final String ANALYSIS = "analysis.jsonl";
    /** Provenance file name. */
    public static final String PROVENANCE = "provenance.json";
    /** The run's summary file name. */
    public static final String SUMMARY = "summary.json";

    private final Path dir;
    private final Table metrics;
    private final Table analysis;

    /** Opens (and creates) a run folder. */
    public RunFolder(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        this.metrics = new Table(dir.resolve(METRICS), dir.resolve("metrics.csv"));
        this.analysis = new Table(dir.resolve(ANALYSIS), dir.resolve("analysis.csv"));
    }

    /** The folder. */
    public Path dir() {
        return dir;
    }

    /** Writes a value as canonical JSON, atomically. */
    public void writeJson(String name, Object value) throws IOException {
        String text = value instanceof JsonNode n ? Json.canonical(n) : Json.canonical(value);
        AtomicFiles.write(dir.resolve(name), text.getBytes(StandardCharsets.UTF_8));
    }

    /** Per-epoch metrics. */
    public Table metrics() {
        return metrics;
    }

    /** Per-snapshot analysis scalars. */
    public Table analysis() {
        return analysis;
    }

    /** Folder of one snapshot epoch, created. */
    public Path snapshotDir(int epoch) throws IOException {
        Path p = snapshotDir(dir, epoch);
        Files.createDirectories(p);
        return p;
    }

    /** Where the snapshot of an epoch lives in a run folder ({@code snapshots/epoch-NNNN}). */
    public static Path snapshotDir(Path runDir, int epoch) {
        return runDir.resolve("snapshots").resolve(String.format("epoch-%04d", epoch));
    }

    /**
     * Removes what a run wrote before its first checkpoint (metrics, analyses, snapshots,
     * figures), so that it can start again from epoch 0; the experiment and provenance stay.
     */
    public void clearResults() throws IOException {
        for (String f : new String[] {METRICS, "metrics.csv", ANALYSIS, "analysis.csv", SUMMARY, "report.html"}) {
            Files.deleteIfExists(dir.resolve(f));
        }
        AtomicFiles.deleteTree(dir.resolve("snapshots"));
        AtomicFiles.deleteTree(dir.resolve("figures"));
        metrics.rows().clear();
        analysis.rows().clear();
    }

    /**
     * Checks a JSONL table before a resume trusts it: every line parses as a row with an integer
     * {@code epoch}, but for a last line cut by a crash; epochs increase; and with
     * {@code everyEpoch} the rows up to {@code lastEpoch} are exactly epochs 1..lastEpoch.
     *
     * @param lastEpoch the epoch of the checkpoint the run resumes from
     * @throws Checkpoint.Damaged naming the file, the line and what is wrong
     */
    public static void checkRows(Path jsonl, int lastEpoch, boolean everyEpoch) throws IOException {
        if (!Files.isRegularFile(jsonl)) {
            if (everyEpoch && lastEpoch > 0) {
                throw new Checkpoint.Damaged(jsonl + ": missing; the checkpoint is at epoch " + lastEpoch);
            }
            return;
        }
        List<String> lines = Files.readAllLines(jsonl, StandardCharsets.UTF_8);
        int previous = -1;
        int expected = 1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            boolean last = i == lines.size() - 1;
            if (line.isBlank()) {
                if (last) {
                    continue;
                }
                throw new Checkpoint.Damaged(
                        jsonl + " line " + (i + 1) + ": empty; the file was changed after the " + "run wrote it");
            }
            Object epoch;
            try {
                epoch = Json.MAPPER.readValue(line, LinkedHashMap.class).get("epoch");
            } catch (IOException e) {
                if (last) {
                    continue; // cut by a crash: the resume repeats that epoch
                }
                throw new Checkpoint.Damaged(jsonl + " line " + (i + 1) + ": not a JSON row; the file was changed "
                        + "after the run wrote it");
            }
            if (!(epoch instanceof Integer e) || e < 0) {
                throw new Checkpoint.Damaged(jsonl + " line " + (i + 1) + ": no epoch number");
            }
            if (e <= previous) {
                throw new Checkpoint.Damaged(jsonl + " line " + (i + 1) + ": epoch " + e + " after epoch " + previous
                        + "; the file was changed after the run wrote it");
            }
            if (everyEpoch && e <= lastEpoch && e != expected) {
                throw new Checkpoint.Damaged(
                        jsonl + " line " + (i + 1) + ": epoch " + e + " where epoch " + expected + " belongs");
            }
            if (e <= lastEpoch) {
                expected = e + 1;
            }
            previous = e;
        }
        if (everyEpoch && expected <= lastEpoch) {
            throw new Checkpoint.Damaged(jsonl + ": epochs " + expected + " to " + lastEpoch + " are missing; the "
                    + "checkpoint is at epoch " + lastEpoch);
        }
    }

    /**
     * The rows of a JSONL file, without changing it; none if it does not exist. A line that does
     * not parse (the last line of a killed run) is skipped.
     */
    public static List<Map<String, Object>> readRows(Path jsonl) throws IOException {
        return readRows(jsonl, skipped -> {});
    }

    /**
     * As {@link #readRows(Path)}, telling {@code skipped} about every line but the last that is
     * left out (e.g. {@code metrics.jsonl line 3: not a JSON row}); a last line cut by a crash is
     * expected.
     */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> readRows(Path jsonl, java.util.function.Consumer<String> skipped)
            throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        if (!Files.isRegularFile(jsonl)) {
            return out;
        }
        List<String> lines = Files.readAllLines(jsonl, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                out.add(Json.MAPPER.readValue(line, LinkedHashMap.class));
            } catch (IOException e) {
                if (i < lines.size() - 1) { // the last line may be cut by a crash: that is no damage
                    skipped.accept(jsonl.getFileName() + " line " + (i + 1) + ": not a JSON row; left out");
                }
            }
        }
        return out;
    }

    /**
     * Rows keyed by column, appended one at a time to a JSONL file (one JSON object per line)
     * and mirrored in a CSV file with a header row.
     */
    public static final class Table {
        private final Path jsonl;
        private final Path csv;
        private final List<Map<String, Object>> rows = new ArrayList<>();

        Table(Path jsonl, Path csv) {
            this.jsonl = jsonl;
            this.csv = csv;
        }

        /** Rows so far. */
        public List<Map<String, Object>> rows() {
            return rows;
        }

        /** Appends a row to both files. */
        public void append(Map<String, Object> row) throws IOException {
            rows.add(new LinkedHashMap<>(row));
            String line = Json.MAPPER
                            .writer()
                            .without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                            .writeValueAsString(row)
                    + "\n";
            try (OutputStream out =
                    Files.newOutputStream(jsonl, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                out.write(line.getBytes(StandardCharsets.UTF_8));
            }
            writeCsv();
        }

        /**
         * Reloads rows from the JSONL file, keeping those whose {@code epoch} ≤ {@code lastEpoch}
         * (later rows belong to epochs that a resumed run repeats), and rewrites both files.
         */
        @SuppressWarnings("unchecked")
        public void truncateAfter(int lastEpoch) throws IOException {
            List<Map<String, Object>> kept = new ArrayList<>();
            for (Map<String, Object> row : readRows(jsonl)) {
                if (((Number) row.get("epoch")).intValue() <= lastEpoch) {
                    kept.add(row);
                }
            }
            replace(kept);
        }

        /** Replaces every row of both files by {@code newRows}, each file atomically. */
        public void replace(List<Map<String, Object>> newRows) throws IOException {
            List<Map<String, Object>> copy = new ArrayList<>();
            newRows.forEach(r -> copy.add(new LinkedHashMap<>(r)));
            rows.clear();
            rows.addAll(copy);
            StringBuilder sb = new StringBuilder();
            for (Map<String, Object> r : rows) {
                sb.append(Json.MAPPER
                                .writer()
                                .without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                                .writeValueAsString(r))
                        .append('\n');
            }
            AtomicFiles.write(jsonl, sb.toString().getBytes(StandardCharsets.UTF_8));
            writeCsv();
        }

        private void writeCsv() throws IOException {
            Set<String> columns = new LinkedHashSet<>();
            rows.forEach(r -> columns.addAll(r.keySet()));
            StringBuilder sb = new StringBuilder(String.join(",", columns)).append('\n');
            for (Map<String, Object> r : rows) {
                boolean first = true;
                for (String c : columns) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    Object v = r.get(c);
                    sb.append(
                            v == null
                                    ? ""
                                    : v instanceof Number
                                            ? v.toString()
                                            : '"' + v.toString().replace("\"", "\"\"") + '"');
                }
                sb.append('\n');
            }
            AtomicFiles.write(csv, sb.toString().getBytes(StandardCharsets.UTF_8));
        }
    }
}
