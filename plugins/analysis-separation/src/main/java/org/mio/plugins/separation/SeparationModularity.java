package org.mio.plugins.separation;

import java.util.ArrayList;
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
import org.mio.api.figure.Range;
import org.mio.api.figure.Series;
import org.mio.api.figure.Style;
import org.mio.api.figure.XYPlot;
import org.mio.api.model.UnitGroups;
import org.mio.api.plugin.ConfigException;
import org.mio.api.plugin.Metric;
import org.mio.api.plugin.PluginParams;
import org.mio.numerics.Modularity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.osgi.service.component.annotations.Component;

/**
 * Functional and structural modularity of the separation experiment (METHOD.md §6b;
 * separation/utils.py:8-144), on the test batch of a snapshot with h the GRU's hidden states:
 *
 * <ul>
 *   <li>{@code Q_cor}: Newman Q (fixed partition G1 | G2, no self-loops) of |corr(h)| over all
 *       steps, taken per test sequence and averaged over the sequences (utils.py:24-56);
 *   <li>{@code Q_str}: the same on (|U_h| + |U_h|ᵀ)/2 with U_h the candidate block of the
 *       recurrent kernel (columns 2N..3N); {@code Q_str_z}, {@code Q_str_r} on the gate blocks
 *       (utils.py:115-144, analyze_results.py:329-348);
 *   <li>{@code D_cor}: per sequence |corr(h_i, ŷ_k)| over the steps from {@code fromStep} against
 *       the network's predictions, a1_i the mean over the Lorenz outputs and a2_i over the Rössler
 *       outputs, both averaged over the sequences, then the separation index (utils.py:79-113);
 *   <li>{@code corr_G1_sys1}, {@code corr_G1_sys2}, {@code corr_G2_sys1}, {@code corr_G2_sys2}:
 *       D_cor's terms, the group means of a1 and a2 (not in the reference). When groups of
 *       n₁ and n₂ units hold every unit, D_cor = |n₁(c_G1,1 − c_G1,2) − n₂(c_G2,1 − c_G2,2)| /
 *       Σ n_g(c_g,1 + c_g,2): they tell a low D_cor where both groups follow both systems from
 *       one where a group follows neither;
 *   <li>{@code std_G1}, {@code std_G2}: the mean over a group of its units' standard deviation
 *       over the steps from {@code fromStep}, per sequence and averaged (not in the reference).
 *       Correlations do not see how large a signal is, and MINE sees it through its input noise
 *       (σ = 0.05 in this experiment): a group whose units vary by less than that is nearly hidden
 *       from the estimate, whatever it correlates with;
 *   <li>{@code D_out}: a1_i = mean_{k∈Lorenz} |W_o[i,k]|, a2_i = mean_{k∈Rössler} |W_o[i,k]|
 *       (utils.py:58-76);
 *   <li>{@code NMI_cor}, {@code NMI_str}: two communities found by greedy modularity
 *       agglomeration, scored by normalized mutual information against G1 | G2, on |the mean over
 *       sequences of corr(h)| (mean first, then the absolute value) and on (|U_h| + |U_h|ᵀ)/2
 *       (analyze_results.py:296-324, utils.py community_analysis; the reference's sim_nmi and
 *       sim_nmi_U, computed there once at the end and here at every snapshot).
 * </ul>
 *
 * Arrays: {@code corr_outputs [outputs, N]}, the mean over sequences of |corr(h_i, ŷ_k)| over
 * all steps (the per-neuron scatter of analyze_results.py:254-324), and {@code corr_units [N, N]}.
 */
@Component
@AnalyzerKind("separation-modularity")
public final class SeparationModularity implements Analyzer {

    /**
     * @param outputGroups outputs of system 1 and 2 (default [[0, 1, 2], [3, 4, 5]]: Lorenz, Rössler)
     * @param fromStep first step of D_cor (default 200, the loss window)
     * @param recurrentWeight the recurrent kernel, [N, 3N] in gate blocks z | r | h̃ or [N, N] (default U)
     * @param outputWeight the readout [N, outputs] (default W_o)
     */
    public record Params(
            List<List<Integer>> outputGroups, Integer fromStep, String recurrentWeight, String outputWeight) {
        /** Applies defaults and checks. */
        public Params {
            outputGroups = outputGroups == null ? List.of(List.of(0, 1, 2), List.of(3, 4, 5)) : outputGroups;
            if (outputGroups.size() != 2
                    || outputGroups.get(0).isEmpty()
                    || outputGroups.get(1).isEmpty()) {
                throw new IllegalArgumentException(
                        "outputGroups must be two non-empty lists of output indices, found " + outputGroups);
            }
            fromStep = fromStep == null ? 200 : fromStep;
            if (fromStep < 0) {
                throw new IllegalArgumentException("fromStep must be ≥ 0, found " + fromStep);
            }
            recurrentWeight = recurrentWeight == null ? "U" : recurrentWeight;
            outputWeight = outputWeight == null ? "W_o" : outputWeight;
        }
    }

    @Override
    public List<Metric> metrics(PluginParams params) {
        params.as(Params.class);
        return List.of(
                Metric.curve(
                        "Q_cor",
                        "functional modularity: Newman Q of the units' |corr| per test sequence, averaged",
                        Metric.Direction.HIGHER,
                        "Q"),
                Metric.curve(
                        "Q_str",
                        "structural modularity: Newman Q of the candidate block (|U_h| + |U_h|ᵀ)/2",
                        Metric.Direction.HIGHER,
                        "Q"),
                Metric.curve("Q_str_z", "Newman Q of the update-gate block of U", Metric.Direction.NONE, "Q_gates"),
                Metric.curve("Q_str_r", "Newman Q of the reset-gate block of U", Metric.Direction.NONE, "Q_gates"),
                Metric.curve(
                        "D_cor",
                        "functional separation: |corr| of units with the Lorenz vs the Rössler predictions",
                        Metric.Direction.HIGHER,
                        "D"),
                groupTerm("G1", 1),
                groupTerm("G1", 2),
                groupTerm("G2", 1),
                groupTerm("G2", 2),
                groupSpread("G1"),
                groupSpread("G2"),
                Metric.curve(
                        "D_out",
                        "separation index of the readout weights to the Lorenz and the Rössler outputs",
                        Metric.Direction.HIGHER,
                        "D"),
                Metric.curve(
                        "NMI_cor",
                        "NMI of the greedy-modularity communities of |mean corr(h)| with the groups",
                        Metric.Direction.HIGHER,
                        "NMI"),
                Metric.curve(
                        "NMI_str",
                        "NMI of the greedy-modularity communities of (|U_h| + |U_h|ᵀ)/2 with the groups",
                        Metric.Direction.HIGHER,
                        "NMI"));
    }

    /** One of D_cor's four terms: the mean over a group of its units' |corr| with one system. */
    private static Metric groupTerm(String group, int system) {
        return Metric.curve(
                "corr_" + group + "_sys" + system,
                "mean over " + group + " of the units' |corr| with the predictions of system " + system + " ("
                        + (system == 1 ? "Lorenz" : "Rössler") + " by default), D_cor's term",
                Metric.Direction.NONE,
                "corr_groups");
    }

    /** The mean over a group of its units' standard deviation. */
    private static Metric groupSpread(String group) {
        return Metric.curve(
                "std_" + group,
                "mean over " + group + " of the units' standard deviation over the steps from fromStep, to compare"
                        + " with the estimator's input noise",
                Metric.Direction.NONE,
                "std_groups");
    }

    @Override
    public AnalysisResult analyze(Snapshot s, PluginParams params) {
        Params p = params.as(Params.class);
        INDArray act = s.trajectory().analysisActivity();
        INDArray pred = s.trajectory().outputs();
        int batch = (int) act.size(0);
        int time = (int) act.size(1);
        int n = (int) act.size(2);
        int outs = (int) pred.size(2);
        checkOutputs(p, outs, params.path());
        int from = Math.min(p.fromStep(), time - 1);
        UnitGroups g = s.groups();
        double[][] units = new double[n][n];
        double[][] signed = new double[n][n];
        double[][] withOutputs = new double[n][outs];
        double[] a1 = new double[n];
        double[] a2 = new double[n];
        double[] spread = new double[n];
        for (int b = 0; b < batch; b++) {
            double[] h = act.get(org.nd4j.linalg.indexing.NDArrayIndex.point(b))
                    .castTo(DataType.DOUBLE)
                    .dup('c')
                    .data()
                    .asDouble();
            double[] y = pred.get(org.nd4j.linalg.indexing.NDArrayIndex.point(b))
                    .castTo(DataType.DOUBLE)
                    .dup('c')
                    .data()
                    .asDouble();
            double[][] c = Modularity.correlations(h, n, h, n, time);
            addAbs(units, c, 1.0 / batch);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    signed[i][j] += c[i][j] / batch;
                }
            }
            addAbs(withOutputs, Modularity.correlations(h, n, y, outs, time), 1.0 / batch);
            double[][] late = Modularity.correlations(
                    java.util.Arrays.copyOfRange(h, from * n, time * n),
                    n,
                    java.util.Arrays.copyOfRange(y, from * outs, time * outs),
                    outs,
                    time - from);
            for (int i = 0; i < n; i++) {
                a1[i] += meanAbs(late[i], p.outputGroups().get(0)) / batch;
                a2[i] += meanAbs(late[i], p.outputGroups().get(1)) / batch;
                spread[i] += std(h, n, i, from, time) / batch;
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("Q_cor", Modularity.newman(units, g.group1(), g.group2()).q());
        // the recurrent kernel, read once; U_h is its candidate block when it holds the three gates
        double[][] u = s.parameters().containsKey(p.recurrentWeight())
                ? matrix(s.parameters().get(p.recurrentWeight()))
                : null;
        boolean gates = u != null && u[0].length == 3 * n;
        double[][] uh = gates ? block(u, 2) : u;
        if (uh != null) {
            out.put("Q_str", Modularity.newman(uh, g.group1(), g.group2()).q());
        }
        if (gates) {
            out.put(
                    "Q_str_z",
                    Modularity.newman(block(u, 0), g.group1(), g.group2()).q());
            out.put(
                    "Q_str_r",
                    Modularity.newman(block(u, 1), g.group1(), g.group2()).q());
        }
        out.put("D_cor", Modularity.separation(a1, a2, g.group1(), g.group2()));
        out.put("corr_G1_sys1", mean(a1, g.group1()));
        out.put("corr_G1_sys2", mean(a2, g.group1()));
        out.put("corr_G2_sys1", mean(a1, g.group2()));
        out.put("corr_G2_sys2", mean(a2, g.group2()));
        out.put("std_G1", mean(spread, g.group1()));
        out.put("std_G2", mean(spread, g.group2()));
        if (s.parameters().containsKey(p.outputWeight())) {
            double[][] w = matrix(s.parameters().get(p.outputWeight()));
            double[] o1 = new double[n];
            double[] o2 = new double[n];
            for (int i = 0; i < n; i++) {
                o1[i] = meanAbs(w[i], p.outputGroups().get(0));
                o2[i] = meanAbs(w[i], p.outputGroups().get(1));
            }
            out.put("D_out", Modularity.separation(o1, o2, g.group1(), g.group2()));
        }
        out.put("NMI_cor", communitiesVsGroups(signed, g));
        if (uh != null) {
            out.put("NMI_str", communitiesVsGroups(symmetricAbs(uh), g));
        }
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        arrays.put("corr_outputs", Nd4j.createFromArray(withOutputs).transpose().dup('c'));
        arrays.put("corr_units", Nd4j.createFromArray(units));
        return new AnalysisResult(out, arrays);
    }

    /**
     * Every unit at (mean |corr| with the Lorenz outputs, with the Rössler outputs) over all steps,
     * G1 as circles and G2 as triangles; and |U_h| as a heat map, units ordered G1 then G2.
     */
    @Override
    public List<Figure> figures(StoredSnapshot s, PluginParams params) {
        Params p = params.as(Params.class);
        List<Figure> figs = new ArrayList<>();
        INDArray stored = s.arrays().get("corr_outputs");
        if (stored != null) {
            double[][] c = stored.castTo(DataType.DOUBLE).transpose().toDoubleMatrix(); // [N][outputs]
            int n = c.length;
            double[] a1 = new double[n];
            double[] a2 = new double[n];
            for (int i = 0; i < n; i++) {
                a1[i] = mean(c[i], p.outputGroups().get(0));
                a2[i] = mean(c[i], p.outputGroups().get(1));
            }
            XYPlot plot = XYPlot.of("", "mean |corr| with the Lorenz outputs", "mean |corr| with the Rössler outputs")
                    .with(new Series(
                            "",
                            new double[] {0, 1},
                            new double[] {0, 1},
                            Style.LINE.color("#b0b0b0").withDashes()))
                    .with(Series.of(
                            "G1",
                            s.groups().group1(),
                            a1,
                            a2,
                            Style.POINTS.color("#d62728").marker(Style.Marker.CIRCLE)))
                    .with(Series.of(
                            "G2",
                            s.groups().group2(),
                            a1,
                            a2,
                            Style.POINTS.color("#1f77b4").marker(Style.Marker.TRIANGLE)))
                    .ranges(new Range(0, 1), new Range(0, 1));
            Double d = s.scalars().get("D_cor");
            figs.add(new Figure(
                    String.format("scatter-epoch-%04d", s.epoch()),
                    "Units' |correlation| with the two systems, epoch " + s.epoch()
                            + (d == null ? "" : String.format(" (D_cor = %.3f)", d)),
                    1,
                    List.of(plot),
                    620,
                    600));
        }
        INDArray u = s.parameters().get(p.recurrentWeight());
        if (u != null) {
            double[][] w = matrix(u);
            int n = w.length;
            double[][] uh = w[0].length == 3 * n ? block(w, 2) : w;
            int[] g1 = s.groups().group1();
            int[] order = s.groups().ordered();
            double[][] m = new double[order.length][order.length];
            for (int i = 0; i < order.length; i++) {
                for (int j = 0; j < order.length; j++) {
                    m[i][j] = uh[order[i]][order[j]];
                }
            }
            Double q = s.scalars().get("Q_str");
            HeatMap heat = new HeatMap(
                    "",
                    "receiving unit (G1 | G2)",
                    "sending unit (G1 | G2)",
                    m,
                    List.of((double) g1.length),
                    true,
                    "U_h");
            figs.add(new Figure(
                    String.format("uh-epoch-%04d", s.epoch()),
                    "Candidate block U_h, epoch " + s.epoch() + (q == null ? "" : String.format(" (Q_str = %.3f)", q)),
                    1,
                    List.of(heat),
                    640,
                    600));
        }
        return figs;
    }

    private static void checkOutputs(Params p, int outs, String path) {
        for (List<Integer> grp : p.outputGroups()) {
            for (int k : grp) {
                if (k < 0 || k >= outs) {
                    throw new ConfigException(path + ".outputGroups: output " + k + " does not exist; the network has "
                            + outs + " outputs");
                }
            }
        }
    }

    /**
     * NMI between G1 | G2 and the two communities greedy modularity finds among the grouped
     * units (the graph reads |m_ij|, i &lt; j).
     */
    private static double communitiesVsGroups(double[][] m, UnitGroups g) {
        int[] units = g.ordered();
        double[][] sub = new double[units.length][units.length];
        int[] truth = new int[units.length];
        for (int a = 0; a < units.length; a++) {
            truth[a] = a < g.group1().length ? 0 : 1;
            for (int b = 0; b < units.length; b++) {
                sub[a][b] = m[units[a]][units[b]];
            }
        }
        return Modularity.nmi(Modularity.greedyCommunities(sub, 2), truth);
    }

    /** (|U| + |U|ᵀ)/2. */
    private static double[][] symmetricAbs(double[][] u) {
        int n = u.length;
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                out[i][j] = (Math.abs(u[i][j]) + Math.abs(u[j][i])) / 2;
            }
        }
        return out;
    }

    private static void addAbs(double[][] acc, double[][] c, double w) {
        for (int i = 0; i < acc.length; i++) {
            for (int j = 0; j < acc[i].length; j++) {
                acc[i][j] += w * Math.abs(c[i][j]);
            }
        }
    }

    private static double meanAbs(double[] row, List<Integer> cols) {
        double s = 0;
        for (int k : cols) {
            s += Math.abs(row[k]);
        }
        return s / cols.size();
    }

    private static double mean(double[] row, List<Integer> cols) {
        double s = 0;
        for (int k : cols) {
            s += row[k];
        }
        return s / cols.size();
    }

    private static double mean(double[] v, int[] units) {
        double s = 0;
        for (int i : units) {
            s += v[i];
        }
        return s / units.length;
    }

    /** The population standard deviation of unit {@code i} of a [time, n] row-major sequence over steps [from, to). */
    private static double std(double[] h, int n, int i, int from, int to) {
        double sum = 0;
        for (int t = from; t < to; t++) {
            sum += h[t * n + i];
        }
        double mean = sum / (to - from);
        double ss = 0;
        for (int t = from; t < to; t++) {
            double d = h[t * n + i] - mean;
            ss += d * d;
        }
        return Math.sqrt(ss / (to - from));
    }

    /** Block {@code k} (0 z, 1 r, 2 h̃) of a [N, 3N] kernel, as [N][N]. */
    static double[][] block(double[][] u, int k) {
        int n = u.length;
        double[][] b = new double[n][n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(u[i], k * n, b[i], 0, n);
        }
        return b;
    }

    private static double[][] matrix(INDArray a) {
        return a.castTo(DataType.DOUBLE).toDoubleMatrix();
    }
}
