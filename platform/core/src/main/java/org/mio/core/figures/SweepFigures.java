package org.mio.core.figures;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.mio.api.figure.Figure;
import org.mio.api.figure.Plot;
import org.mio.api.figure.Range;
import org.mio.api.figure.Series;
import org.mio.api.figure.Style;
import org.mio.api.figure.XYPlot;

/**
 * The figures of a sweep: per condition the individual and mean curves over the snapshot epochs
 * of every panel of curve metrics (as in the paper's multi-trial figures, e.g. Q_corr against
 * Q_str, D_corr against D_in and D_out), drawn twice as the reference does: over all finished
 * trials and over the successful-and-differentiated ones; the final values of every trial per
 * condition; and each trial's t₅₀ onsets of the metric expected first against the one expected
 * to follow. Which metrics and panels there are comes from the plugins' metric descriptions.
 */
public final class SweepFigures {
    private SweepFigures() {}

    /**
     * One trial's analysis over training.
     *
     * @param condition its condition
     * @param selected whether it is successful and differentiated
     * @param rows its {@code analysis.jsonl} rows
     */
    public record TrialCurves(String condition, boolean selected, List<Map<String, Object>> rows) {}

    /**
     * Builds the sweep's figures.
     *
     * @param conditions condition names in order
     * @param curves every finished trial's analysis rows
     * @param panels curve metrics drawn together, e.g. {@code [[Q_corr, Q_str], [D_corr, D_in, D_out]]}
     * @param selectedBy the rule of the selected subset, in words
     * @param finals per condition, per final metric, the value of every completed trial
     * @param pairs the onset comparisons: [metric expected first, metric expected to follow]
     * @param onsets per condition, per pair key, every successful trial's two onsets
     */
    public static List<Figure> build(
            List<String> conditions,
            List<TrialCurves> curves,
            List<List<String>> panels,
            String selectedBy,
            Map<String, Map<String, double[]>> finals,
            List<List<String>> pairs,
            Map<String, Map<String, List<double[]>>> onsets) {
        List<Figure> out = new ArrayList<>();
        Figure all = curveGrid(
                "sweep-curves",
                "Curves over training: every finished trial and their mean",
                conditions,
                curves,
                panels);
        if (all != null) {
            out.add(all);
        }
        Figure selected = curveGrid(
                "sweep-curves-selected",
                "Curves over training: " + selectedBy,
                conditions,
                curves.stream().filter(TrialCurves::selected).toList(),
                panels);
        if (selected != null) {
            out.add(selected);
        }
        List<Plot> finalPlots = new ArrayList<>();
        List<String> metrics = new ArrayList<>();
        finals.values()
                .forEach(m -> m.keySet().forEach(k -> {
                    if (!metrics.contains(k)) {
                        metrics.add(k);
                    }
                }));
        for (String m : metrics) {
            XYPlot p = XYPlot.of(m, "condition", m).categories(conditions);
            for (int ci = 0; ci < conditions.size(); ci++) {
                double[] v = finals.getOrDefault(conditions.get(ci), Map.of()).getOrDefault(m, new double[0]);
                double[] x = new double[v.length];
                for (int k = 0; k < v.length; k++) {
                    x[k] = ci + (v.length == 1 ? 0 : 0.24 * (k / (double) (v.length - 1) - 0.5));
                }
                String color = Curves.PALETTE[ci % Curves.PALETTE.length];
                p = p.with(new Series("", x, v, Style.POINTS.color(color).alpha(0.7)));
                double mean = java.util.Arrays.stream(v)
                        .filter(Double::isFinite)
                        .average()
                        .orElse(Double.NaN);
                p = p.with(new Series(
                        ci == 0 ? "mean" : "",
                        new double[] {ci - 0.22, ci + 0.22},
                        new double[] {mean, mean},
                        Style.LINE.color("#000000").width(2.2)));
            }
            finalPlots.add(p);
        }
        if (!finalPlots.isEmpty()) {
            out.add(Figure.grid("sweep-final", "Final values per trial (bar: mean)", 3, finalPlots, 380, 280));
        }
        List<Plot> onsetPlots = new ArrayList<>();
        double max = 1;
        for (var ce : onsets.values()) {
            for (var pe : ce.values()) {
                for (double[] o : pe) {
                    if (Double.isFinite(o[0]) && Double.isFinite(o[1])) {
                        max = Math.max(max, Math.max(o[0], o[1]));
                    }
                }
            }
        }
        double top = max * 1.05;
        for (List<String> pair : pairs) {
            String first = pair.get(0);
            String then = pair.get(1);
            XYPlot p = XYPlot.of(
                    "t₅₀ onsets: " + first + " vs " + then + " (above the diagonal: " + first + " first)",
                    "t₅₀(" + first + ") epoch",
                    "t₅₀(" + then + ") epoch");
            for (int ci = 0; ci < conditions.size(); ci++) {
                List<double[]> o = onsets.getOrDefault(conditions.get(ci), Map.of())
                        .getOrDefault(first + "_vs_" + then, List.of());
                p = p.with(new Series(
                        conditions.get(ci),
                        o.stream().mapToDouble(a -> a[0]).toArray(),
                        o.stream().mapToDouble(a -> a[1]).toArray(),
                        Style.POINTS
                                .color(Curves.PALETTE[ci % Curves.PALETTE.length])
                                .marker(ci == 0 ? Style.Marker.CIRCLE : Style.Marker.TRIANGLE)));
            }
            onsetPlots.add(p.with(new Series(
                            "",
                            new double[] {0, top},
                            new double[] {0, top},
                            Style.LINE.color("#b0b0b0").withDashes()))
                    .ranges(new Range(0, top), new Range(0, top)));
        }
        if (!onsetPlots.isEmpty()) {
            out.add(Figure.grid(
                    "sweep-onsets",
                    "Which measure rises first? (successful trials)",
                    onsetPlots.size(),
                    onsetPlots,
                    520,
                    460));
        }
        return out;
    }

    /**
     * One row of panels per panel group, one column per condition: thin lines per trial, a thick
     * line for their mean; within a panel the first metric solid, the others dashed.
     */
    private static Figure curveGrid(
            String name, String title, List<String> conditions, List<TrialCurves> curves, List<List<String>> panels) {
        List<Plot> plots = new ArrayList<>();
        boolean any = false;
        for (List<String> panel : panels) {
            for (String c : conditions) {
                XYPlot p = XYPlot.of(String.join(", ", panel) + " — " + c, "epoch", String.join(" / ", panel));
                for (int mi = 0; mi < panel.size(); mi++) {
                    String m = panel.get(mi);
                    Style st = Style.LINE.color(Curves.PALETTE[(mi + 3) % Curves.PALETTE.length]);
                    st = mi == 0 ? st : st.withDashes();
                    Map<Integer, double[]> sum = new TreeMap<>();
                    for (TrialCurves t : curves) {
                        if (!t.condition().equals(c)) {
                            continue;
                        }
                        List<double[]> pts = points(t.rows(), m);
                        if (pts.isEmpty()) {
                            continue;
                        }
                        p = p.with(new Series(
                                "",
                                pts.stream().mapToDouble(a -> a[0]).toArray(),
                                pts.stream().mapToDouble(a -> a[1]).toArray(),
                                st.width(0.8).alpha(0.3)));
                        for (double[] a : pts) {
                            double[] s = sum.computeIfAbsent((int) a[0], k -> new double[2]);
                            s[0] += a[1];
                            s[1]++;
                        }
                    }
                    if (!sum.isEmpty()) {
                        double[] x = sum.keySet().stream()
                                .mapToDouble(Integer::doubleValue)
                                .toArray();
                        double[] y = sum.values().stream()
                                .mapToDouble(s -> s[0] / s[1])
                                .toArray();
                        p = p.with(new Series(m + " (mean)", x, y, st.width(2.6)));
                    }
                }
                plots.add(p);
                any |= !p.series().isEmpty();
            }
        }
        return !any ? null : Figure.grid(name, title, conditions.size(), plots, 520, 320);
    }

    private static List<double[]> points(List<Map<String, Object>> rows, String metric) {
        List<double[]> pts = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            if (r.get("epoch") instanceof Number e && r.get(metric) instanceof Number v) {
                pts.add(new double[] {e.doubleValue(), v.doubleValue()});
            }
        }
        return pts;
    }
}
