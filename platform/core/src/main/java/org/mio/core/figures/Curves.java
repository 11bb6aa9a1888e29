package org.mio.core.figures;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mio.api.figure.Figure;
import org.mio.api.figure.Plot;
import org.mio.api.figure.Series;
import org.mio.api.figure.Style;
import org.mio.api.figure.XYPlot;
import org.mio.api.plugin.Metric;
import org.mio.core.train.MetricCatalog;
import org.mio.core.train.TrainerMetrics;

/**
 * The curves of a run over training: task loss, the task's scores (e.g. accuracy), MI before and
 * after the model step per epoch, and every analysis scalar at the snapshot epochs, with the
 * snapshot epochs marked. Analysis scalars are grouped into panels as their analyzers describe
 * them ({@link Metric#panel()}); a scalar no analyzer describes gets a panel of its own.
 */
public final class Curves {
    /** Condition colors (matplotlib's tab10). */
    static final String[] PALETTE = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"};

    private Curves() {}

    /**
     * The curves figure.
     *
     * @param metrics per-epoch rows ({@code metrics.jsonl})
     * @param analysis per-snapshot rows ({@code analysis.jsonl})
     * @param snapshotEpochs epochs with a snapshot, marked on the per-epoch panels
     * @param catalog the run's metric descriptions
     * @return the figure, or {@code null} if there is nothing to draw yet
     */
    public static Figure figure(
            List<Map<String, Object>> metrics,
            List<Map<String, Object>> analysis,
            List<Integer> snapshotEpochs,
            MetricCatalog catalog) {
        List<Plot> plots = new ArrayList<>();
        List<Double> marks = snapshotEpochs.stream().map(Integer::doubleValue).toList();
        if (!metrics.isEmpty()) {
            XYPlot loss = XYPlot.of("Loss", "epoch", "loss").markers(marks);
            loss = add(loss, metrics, TrainerMetrics.TASK_LOSS, Style.LINE.width(2));
            loss = add(loss, metrics, TrainerMetrics.TOTAL_LOSS, Style.LINE.withDashes());
            if (!loss.series().isEmpty()) {
                plots.add(
                        positive(metrics, TrainerMetrics.TASK_LOSS) && positive(metrics, TrainerMetrics.TOTAL_LOSS)
                                ? loss.logarithmicY()
                                : loss);
            }
            XYPlot scores = XYPlot.of("Task performance", "epoch", "score").markers(marks);
            for (String k : keys(metrics)) {
                if (!TrainerMetrics.ALL.contains(k)) { // everything else in a metrics row is a task score
                    scores = add(scores, metrics, k, Style.LINE);
                }
            }
            if (!scores.series().isEmpty()) {
                plots.add(scores);
            }
            XYPlot mi = XYPlot.of("Mutual information estimate", "epoch", "MI (nats)")
                    .markers(marks);
            mi = add(mi, metrics, TrainerMetrics.MI_BEFORE, Style.LINE.color("#1f77b4"));
            mi = add(
                    mi,
                    metrics,
                    TrainerMetrics.MI_AFTER,
                    Style.LINE.color("#ff7f0e").withDashes());
            if (!mi.series().isEmpty()) {
                plots.add(mi);
            }
        }
        Map<String, XYPlot> groups = new LinkedHashMap<>();
        for (String k : keys(analysis)) {
            if (k.equals(TrainerMetrics.EPOCH)) {
                continue;
            }
            String group =
                    catalog.find(k).map(Metric::panel).filter(g -> !g.isEmpty()).orElse(k);
            XYPlot p = groups.computeIfAbsent(group, g -> XYPlot.of(g + " at snapshots", "epoch", g));
            groups.put(group, add(p, analysis, k, Style.LINE.marker(Style.Marker.CIRCLE)));
        }
        plots.addAll(groups.values());
        if (plots.isEmpty()) {
            return null;
        }
        return Figure.grid("curves", "Training curves", 2, plots, 560, 320);
    }

    private static List<String> keys(List<Map<String, Object>> rows) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            for (var e : r.entrySet()) {
                if (e.getValue() instanceof Number && !out.contains(e.getKey())) {
                    out.add(e.getKey());
                }
            }
        }
        return out;
    }

    private static boolean positive(List<Map<String, Object>> rows, String key) {
        return rows.stream().allMatch(r -> !(r.get(key) instanceof Number n) || n.doubleValue() > 0);
    }

    private static XYPlot add(XYPlot p, List<Map<String, Object>> rows, String key, Style style) {
        List<double[]> pts = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            if (r.get(TrainerMetrics.EPOCH) instanceof Number e && r.get(key) instanceof Number v) {
                pts.add(new double[] {e.doubleValue(), v.doubleValue()});
            }
        }
        if (pts.isEmpty()) {
            return p;
        }
        double[] x = pts.stream().mapToDouble(a -> a[0]).toArray();
        double[] y = pts.stream().mapToDouble(a -> a[1]).toArray();
        return p.with(new Series(key, x, y, style));
    }
}
