package org.mio.core.train;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mio.api.plugin.ConfigException;
import org.mio.api.plugin.Metric;
import org.mio.core.config.Criteria;
import org.mio.core.config.Criterion;
import org.mio.core.session.Session;

/**
 * Every metric a run produces, as its producers describe them: the trainer's and the task's per
 * epoch ({@code metrics.jsonl}), the analyzers' per snapshot ({@code analysis.jsonl}). The core
 * summarizes, judges and draws runs through this catalog and never by a plugin's metric name.
 *
 * @param perEpoch the trainer's metrics, then the task's scores
 * @param perSnapshot the analyzers' scalars, in analyzer order
 * @param complete whether every plugin described its metrics (otherwise unknown names in criteria
 *     cannot be rejected up front)
 */
public record MetricCatalog(List<Metric> perEpoch, List<Metric> perSnapshot, boolean complete) {

    /** Copies the lists. */
    public MetricCatalog {
        perEpoch = List.copyOf(perEpoch);
        perSnapshot = List.copyOf(perSnapshot);
    }

    /** The catalog of a prepared run. */
    public static MetricCatalog of(Session session) {
        boolean reevaluated = session.experiment().config().training().reevaluateEstimate();
        List<Metric> epoch = new ArrayList<>(TrainerMetrics.DESCRIBED.stream()
                .filter(m -> reevaluated || !m.name().equals(TrainerMetrics.MI_REEVALUATED))
                .toList());
        List<Metric> task = session.task().metrics();
        epoch.addAll(task);
        boolean complete = !task.isEmpty();
        List<Metric> snapshot = new ArrayList<>();
        for (Session.AnalyzerUse a : session.analyzers()) {
            List<Metric> m = a.analyzer().metrics(a.params());
            complete &= !m.isEmpty();
            snapshot.addAll(m);
        }
        return new MetricCatalog(epoch, snapshot, complete);
    }

    /**
     * A run's final values, as criteria judge them and sweeps summarize them: every number of its
     * last metrics row and its last analysis row, but the bookkeeping columns.
     *
     * @param lastMetrics the last {@code metrics.jsonl} row, or {@code null}
     * @param lastAnalysis the last {@code analysis.jsonl} row, or {@code null}
     */
    public static Map<String, Double> finals(Map<String, Object> lastMetrics, Map<String, Object> lastAnalysis) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map<String, Object> row : java.util.Arrays.asList(lastMetrics, lastAnalysis)) {
            if (row != null) {
                row.forEach((k, v) -> {
                    if (v instanceof Number n && !TrainerMetrics.BOOKKEEPING.contains(k)) {
                        out.put(k, n.doubleValue());
                    }
                });
            }
        }
        return out;
    }

    /** The metric called {@code name}, if described. */
    public Optional<Metric> find(String name) {
        return all().stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /** Per-epoch then per-snapshot metrics. */
    public List<Metric> all() {
        List<Metric> out = new ArrayList<>(perEpoch);
        out.addAll(perSnapshot);
        return out;
    }

    /** The per-snapshot metrics that are curves over training. */
    public List<Metric> curves() {
        return perSnapshot.stream().filter(Metric::curve).toList();
    }

    /**
     * This catalog with the columns found in run files that no plugin described, added without a
     * direction, so that nothing a run recorded is left out of a summary.
     */
    public MetricCatalog withColumns(Collection<String> epochColumns, Collection<String> snapshotColumns) {
        List<Metric> epoch = new ArrayList<>(perEpoch);
        List<Metric> snapshot = new ArrayList<>(perSnapshot);
        for (String c : epochColumns) {
            if (!TrainerMetrics.BOOKKEEPING.contains(c) && find(c).isEmpty()) {
                epoch.add(Metric.scalar(c, "", Metric.Direction.NONE));
            }
        }
        for (String c : snapshotColumns) {
            if (!TrainerMetrics.BOOKKEEPING.contains(c) && find(c).isEmpty()) {
                snapshot.add(Metric.curve(c, "", Metric.Direction.NONE, ""));
            }
        }
        return new MetricCatalog(epoch, snapshot, complete);
    }

    /**
     * Rejects criteria that name a metric no plugin of this run produces (when every plugin
     * described its metrics).
     *
     * @param where the file and JSON path of the criteria, e.g. {@code wm-quick.json: criteria}
     * @throws ConfigException naming the criterion and the metrics there are
     */
    public void check(Criteria criteria, String where) {
        if (!complete) {
            return;
        }
        Map<String, List<Criterion>> lists = new LinkedHashMap<>();
        lists.put("success", criteria.success());
        lists.put("differentiation", criteria.differentiation());
        for (var e : lists.entrySet()) {
            for (int i = 0; i < e.getValue().size(); i++) {
                String m = e.getValue().get(i).metric();
                if (find(m).isEmpty()) {
                    throw new ConfigException(where + "." + e.getKey() + "[" + i + "].metric: no metric '" + m
                            + "' in this experiment; its metrics: "
                            + String.join(", ", all().stream().map(Metric::name).toList()));
                }
            }
        }
    }
}
