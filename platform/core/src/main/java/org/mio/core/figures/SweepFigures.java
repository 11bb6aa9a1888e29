package org.mio.core.figures;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mio.api.figure.Figure;
import org.mio.api.figure.Plot;
import org.mio.api.figure.Range;
import org.mio.api.figure.Series;
import org.mio.api.figure.Style;
import org.mio.api.figure.XYPlot;

/**
 * The figures of a sweep: per condition the individual and mean curves of the analyses over the
 * snapshot epochs (as in the paper's multi-trial figures: Q_corr red solid against Q_str blue
 * dashed, D_corr against D_in and D_out), the final values of every trial per condition, and
 * each trial's onsets t₅₀ of the functional against the structural measure.
 */
public final class SweepFigures {
    private static final Map<String, Style> CURVE_STYLE = Map.of(
            "Q_corr", Style.LINE.color("#d62728"), "Q_str", Style.LINE.color("#1f77b4").withDashes(),
            "D_corr", Style.LINE.color("#d62728"), "D_in", Style.LINE.color("#2ca02c").withDashes(),
            "D_out", Style.LINE.color("#1f77b4").withDashes());

    private SweepFigures() {}

    /**
     * One trial's analysis over training.
     *
     * @param condition its condition
     * @param rows its {@code analysis.jsonl} rows
     */
    public record TrialCurves(String condition, List<Map<String, Object>> rows) {}

    /**
     * Builds the sweep's figures.
     *
     * @param conditions condition names in order
     * @param curves every completed trial's analysis rows
     * @param panels metric groups drawn together, e.g. {@code [[Q_corr, Q_str], [D_corr, D_in, D_out]]}
     * @param finals per condition, per final metric, the value of every completed trial
     * @param onsets per condition, per "functional vs structural" pair, every trial's two onsets
     */
    public static List<Figure> build(List<String> conditions, List<TrialCurves> curves, List<List<String>> panels,
            Map<String, Map<String, double[]>> finals, Map<String, Map<String, double[][]>> onsets) {
        List<Figure> out = new ArrayList<>();
        List<Plot> curvePlots = new ArrayList<>();
        for (List<String> panel : panels) {
            for (String c : conditions) {
                XYPlot p = XYPlot.of(String.join(", ", panel) + " — " + c, "epoch", String.join(" / ", panel));
                for (String m : panel) {
                    Style st = CURVE_STYLE.getOrDefault(m, Style.LINE);
                    Map<Integer, double[]> sum = new java.util.TreeMap<>();
                    for (TrialCurves t : curves) {
                        if (!t.condition().equals(c)) {
                            continue;
                        }
                        List<double[]> pts = points(t.rows(), m);
                        if (pts.isEmpty()) {
                            continue;
                        }
                        p = p.with(new Series("", pts.stream().mapToDouble(a -> a[0]).toArray(),
                                pts.stream().mapToDouble(a -> a[1]).toArray(), st.width(0.8).alpha(0.3)));
                        for (double[] a : pts) {
                            double[] s = sum.computeIfAbsent((int) a[0], k -> new double[2]);
                            s[0] += a[1];
                            s[1]++;
                        }
                    }
                    if (!sum.isEmpty()) {
                        double[] x = sum.keySet().stream().mapToDouble(Integer::doubleValue).toArray();
                        double[] y = sum.values().stream().mapToDouble(s -> s[0] / s[1]).toArray();
                        p = p.with(new Series(m + " (mean)", x, y, st.width(2.6)));
                    }
                }
                curvePlots.add(p);
            }
        }
        if (!curvePlots.isEmpty()) {
            out.add(Figure.grid("sweep-curves", "Modularity over training: individual trials and mean",
                    conditions.size(), curvePlots, 520, 320));
        }
        List<Plot> finalPlots = new ArrayList<>();
        List<String> metrics = new ArrayList<>();
        finals.values().forEach(m -> m.keySet().forEach(k -> {
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
                double mean = java.util.Arrays.stream(v).filter(Double::isFinite).average().orElse(Double.NaN);
                p = p.with(new Series(ci == 0 ? "mean" : "", new double[] {ci - 0.22, ci + 0.22},
                        new double[] {mean, mean}, Style.LINE.color("#000000").width(2.2)));
            }
            finalPlots.add(p);
        }
        if (!finalPlots.isEmpty()) {
            out.add(Figure.grid("sweep-final", "Final values per trial (bar: mean)", 3, finalPlots, 380, 280));
        }
        List<Plot> onsetPlots = new ArrayList<>();
        Map<String, XYPlot> byPair = new LinkedHashMap<>();
        double max = 1;
        for (var ce : onsets.entrySet()) {
            for (var pe : ce.getValue().entrySet()) {
                for (double[] o : pe.getValue()) {
                    if (Double.isFinite(o[0]) && Double.isFinite(o[1])) {
                        max = Math.max(max, Math.max(o[0], o[1]));
                    }
                }
            }
        }
        for (int ci = 0; ci < conditions.size(); ci++) {
            String c = conditions.get(ci);
            for (var pe : onsets.getOrDefault(c, Map.of()).entrySet()) {
                String[] names = pe.getKey().split("_vs_");
                XYPlot p = byPair.computeIfAbsent(pe.getKey(), k -> XYPlot.of(
                        "t₅₀ onsets: " + names[0] + " vs " + names[1] + " (above the diagonal: functional first)",
                        "t₅₀(" + names[0] + ") epoch", "t₅₀(" + names[1] + ") epoch"));
                double[][] o = pe.getValue();
                p = p.with(new Series(c, java.util.Arrays.stream(o).mapToDouble(a -> a[0]).toArray(),
                        java.util.Arrays.stream(o).mapToDouble(a -> a[1]).toArray(),
                        Style.POINTS.color(Curves.PALETTE[ci % Curves.PALETTE.length])
                                .marker(ci == 0 ? Style.Marker.CIRCLE : Style.Marker.TRIANGLE)));
                byPair.put(pe.getKey(), p);
            }
        }
        double top = max * 1.05;
        for (XYPlot p : byPair.values()) {
            onsetPlots.add(p.with(new Series("", new double[] {0, top}, new double[] {0, top},
                    Style.LINE.color("#b0b0b0").withDashes())).ranges(new Range(0, top), new Range(0, top)));
        }
        if (!onsetPlots.isEmpty()) {
            out.add(Figure.grid("sweep-onsets", "Does the functional measure rise first?", onsetPlots.size(),
                    onsetPlots, 520, 460));
        }
        return out;
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
