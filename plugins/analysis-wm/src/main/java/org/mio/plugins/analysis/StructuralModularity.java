package org.mio.plugins.analysis;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mio.api.analysis.AnalysisResult;
import org.mio.api.analysis.Analyzer;
import org.mio.api.analysis.Snapshot;
import org.mio.api.analysis.StoredSnapshot;
import org.mio.api.annotations.AnalyzerKind;
import org.mio.api.figure.Figure;
import org.mio.api.figure.HeatMap;
import org.mio.api.figure.Histogram;
import org.mio.api.figure.Plot;
import org.mio.api.figure.Range;
import org.mio.api.plugin.Metric;
import org.mio.api.plugin.PluginParams;
import org.mio.numerics.Modularity;
import org.osgi.service.component.annotations.Component;

/**
 * Structural modularity from the weights (METHOD.md §6a.3–4): {@code Q_str} (Newman Q of the
 * recurrent weights with the predefined partition) and its normalized form, and the separation
 * indices {@code D_in} and {@code D_out} of the input and output weights.
 */
@Component
@AnalyzerKind("structural-modularity")
public final class StructuralModularity implements Analyzer {

    /**
     * @param recurrentWeight parameter holding the recurrent weights (default W_rec)
     * @param recurrentColumns optional [from, to) column block of it (a GRU's candidate block), default all
     * @param inputWeight input weights [channels, N] (default W_in)
     * @param inputGroups channels of bit 1 and bit 2 (default [[0, 1], [2, 3]]: ON/OFF of each bit)
     * @param outputWeight output weights [N, outputs] (default W_out)
     * @param outputGroups outputs of target 1 and target 2 (default [[0], [1]])
     */
    public record Params(
            String recurrentWeight,
            List<Integer> recurrentColumns,
            String inputWeight,
            List<List<Integer>> inputGroups,
            String outputWeight,
            List<List<Integer>> outputGroups) {
        /** Applies defaults. */
        public Params {
            recurrentWeight = recurrentWeight == null ? "W_rec" : recurrentWeight;
            inputWeight = inputWeight == null ? "W_in" : inputWeight;
            inputGroups = inputGroups == null ? List.of(List.of(0, 1), List.of(2, 3)) : inputGroups;
            outputWeight = outputWeight == null ? "W_out" : outputWeight;
            outputGroups = outputGroups == null ? List.of(List.of(0), List.of(1)) : outputGroups;
            Weights.checkPair("inputGroups", inputGroups);
            Weights.checkPair("outputGroups", outputGroups);
            if (recurrentColumns != null
                    && (recurrentColumns.size() != 2 || recurrentColumns.get(0) >= recurrentColumns.get(1))) {
                throw new IllegalArgumentException(
                        "recurrentColumns must be [from, to) with from < to, found " + recurrentColumns);
            }
        }
    }

    /** Q_str, D_in and D_out are the structural measures the paper compares with Q_corr and D_corr. */
    @Override
    public List<Metric> metrics(PluginParams params) {
        params.as(Params.class);
        return List.of(
                Metric.curve(
                        "Q_str",
                        "structural modularity: Newman Q of |recurrent weights| with the two groups",
                        Metric.Direction.HIGHER,
                        "Q"),
                Metric.curve(
                        "Q_str_norm",
                        "Q_str divided by its maximum for the partition",
                        Metric.Direction.HIGHER,
                        "Q_norm"),
                Metric.curve(
                        "D_in",
                        "separation index of the input weights from the channels of function 1 and 2",
                        Metric.Direction.HIGHER,
                        "D"),
                Metric.curve(
                        "D_out",
                        "separation index of the output weights to the outputs of function 1 and 2",
                        Metric.Direction.HIGHER,
                        "D"));
    }

    @Override
    public AnalysisResult analyze(Snapshot s, PluginParams params) {
        Params p = params.as(Params.class);
        double[][] rec = Weights.matrix(s.parameters(), p.recurrentWeight());
        if (p.recurrentColumns() != null) {
            int from = p.recurrentColumns().get(0);
            double[][] block = new double[rec.length][];
            for (int i = 0; i < rec.length; i++) {
                block[i] = java.util.Arrays.copyOfRange(
                        rec[i], from, p.recurrentColumns().get(1));
            }
            rec = block;
        }
        Modularity.Q q = Modularity.newman(rec, s.groups().group1(), s.groups().group2());
        double[][] win = Weights.matrix(s.parameters(), p.inputWeight());
        double[][] wout = Weights.matrix(s.parameters(), p.outputWeight());
        Weights.checkIndices("inputGroups", p.inputGroups(), win.length, "input channels of " + p.inputWeight());
        Weights.checkIndices("outputGroups", p.outputGroups(), wout[0].length, "outputs of " + p.outputWeight());
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("Q_str", q.q());
        out.put("Q_str_norm", q.normalized());
        out.put(
                "D_in",
                Modularity.separation(
                        Weights.inputStrength(win, p.inputGroups().get(0)),
                        Weights.inputStrength(win, p.inputGroups().get(1)),
                        s.groups().group1(),
                        s.groups().group2()));
        out.put(
                "D_out",
                Modularity.separation(
                        Weights.outputStrength(wout, p.outputGroups().get(0)),
                        Weights.outputStrength(wout, p.outputGroups().get(1)),
                        s.groups().group1(),
                        s.groups().group2()));
        return new AnalysisResult(out, Map.of());
    }

    /**
     * The recurrent weights as a heat map, units ordered G1 then G2 with the boundary drawn, and
     * histograms of |W| per block (G1→G1, G1→G2, G2→G1, G2→G2; rows are the sending units in
     * the row-vector convention {@code x·W}).
     */
    @Override
    public List<Figure> figures(StoredSnapshot s, PluginParams params) {
        Params p = params.as(Params.class);
        if (!s.parameters().containsKey(p.recurrentWeight())) {
            return List.of();
        }
        double[][] rec = Weights.matrix(s.parameters(), p.recurrentWeight());
        int from = p.recurrentColumns() == null ? 0 : p.recurrentColumns().get(0);
        int[] g1 = s.groups().group1();
        int[] g2 = s.groups().group2();
        int[] order = s.groups().ordered();
        double[][] m = new double[order.length][order.length];
        double max = 0;
        for (int i = 0; i < order.length; i++) {
            for (int j = 0; j < order.length; j++) {
                m[i][j] = rec[order[i]][from + order[j]];
                max = Math.max(max, Math.abs(m[i][j]));
            }
        }
        Double q = s.scalars().get("Q_str");
        String suffix = ", epoch " + s.epoch() + (q == null ? "" : String.format(" (Q_str = %.3f)", q));
        HeatMap heat = new HeatMap(
                "",
                "receiving unit (G1 | G2)",
                "sending unit (G1 | G2)",
                m,
                List.of((double) g1.length),
                true,
                p.recurrentWeight());
        Figure map = new Figure(
                String.format("wrec-epoch-%04d", s.epoch()), p.recurrentWeight() + suffix, 1, List.of(heat), 640, 600);
        String[] names = {"G1", "G2"};
        int[][] groups = {g1, g2};
        String[] colors = {"#d62728", "#9467bd", "#8c564b", "#1f77b4"};
        List<Plot> hist = new java.util.ArrayList<>();
        for (int a = 0; a < 2; a++) {
            for (int b = 0; b < 2; b++) {
                double[] v = new double[groups[a].length * groups[b].length];
                int k = 0;
                for (int i : groups[a]) {
                    for (int j : groups[b]) {
                        v[k++] = Math.abs(rec[i][from + j]);
                    }
                }
                String block = names[a] + "→" + names[b];
                hist.add(new Histogram(
                        String.format("%s (mean %.3f)", block, mean(v)),
                        "|" + p.recurrentWeight() + "|",
                        List.of(new Histogram.Sample(block, v, colors[2 * a + b])),
                        30,
                        new Range(0, max > 0 ? max : 1),
                        false));
            }
        }
        Figure blocks = Figure.grid(
                String.format("wrec-blocks-epoch-%04d", s.epoch()),
                "|" + p.recurrentWeight() + "| per block" + suffix,
                2,
                hist,
                460,
                300);
        return List.of(map, blocks);
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return v.length == 0 ? Double.NaN : s / v.length;
    }
}
