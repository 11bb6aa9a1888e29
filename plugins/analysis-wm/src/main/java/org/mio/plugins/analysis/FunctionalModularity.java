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
import org.mio.api.figure.Range;
import org.mio.api.figure.Series;
import org.mio.api.figure.Style;
import org.mio.api.figure.XYPlot;
import org.mio.api.plugin.Metric;
import org.mio.api.plugin.PluginParams;
import org.mio.numerics.Modularity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.osgi.service.component.annotations.Component;

/**
 * Functional modularity from the activity (METHOD.md §6a.1–5): Pearson correlations of every
 * unit with each target (c_i^(k), over batch × time of the evaluation run) and between units;
 * {@code Q_corr} (Newman Q of the unit correlations) and its normalized form; {@code D_corr}
 * (separation index of |c^(1)|, |c^(2)|); and the weight–function alignment
 * {@code align_out} = r(d_i, |W_out[i,0]| − |W_out[i,1]|), {@code align_in} = r(d_i,
 * (|W_in[0,i]|+|W_in[1,i]|) − (|W_in[2,i]|+|W_in[3,i]|)) with d_i = |c_i^(1)| − |c_i^(2)|.
 * Arrays: {@code corr_target [outputs, N]} and {@code corr_units [N, N]}.
 */
@Component
@AnalyzerKind("functional-modularity")
public final class FunctionalModularity implements Analyzer {

    /**
     * @param correlateWith {@code target} (WM: the task targets) or {@code output} (the network's predictions)
     * @param fromStep first step of the learning segment that counts (default 0)
     * @param outputGroups targets of function 1 and 2, |c| averaged within each (default [[0], [1]])
     * @param inputWeight input weights for {@code align_in} (default W_in; absent parameter: skipped)
     * @param inputGroups channels of function 1 and 2 (default [[0, 1], [2, 3]])
     * @param outputWeight output weights for {@code align_out} (default W_out)
     */
    public record Params(
            String correlateWith,
            Integer fromStep,
            List<List<Integer>> outputGroups,
            String inputWeight,
            List<List<Integer>> inputGroups,
            String outputWeight) {
        /** Applies defaults. */
        public Params {
            correlateWith = correlateWith == null ? "target" : correlateWith;
            if (!correlateWith.equals("target") && !correlateWith.equals("output")) {
                throw new IllegalArgumentException(
                        "correlateWith must be one of target, output, found " + correlateWith);
            }
            fromStep = fromStep == null ? 0 : fromStep;
            if (fromStep < 0) {
                throw new IllegalArgumentException("fromStep must be ≥ 0, found " + fromStep);
            }
            outputGroups = outputGroups == null ? List.of(List.of(0), List.of(1)) : outputGroups;
            inputWeight = inputWeight == null ? "W_in" : inputWeight;
            inputGroups = inputGroups == null ? List.of(List.of(0, 1), List.of(2, 3)) : inputGroups;
            outputWeight = outputWeight == null ? "W_out" : outputWeight;
            Weights.checkPair("outputGroups", outputGroups);
            Weights.checkPair("inputGroups", inputGroups);
        }
    }

    /** Q_corr and D_corr are the functional measures the paper compares with Q_str and D_in/D_out. */
    @Override
    public List<Metric> metrics(PluginParams params) {
        params.as(Params.class);
        return List.of(
                Metric.curve(
                        "Q_corr",
                        "functional modularity: Newman Q of |unit correlations| with the two groups",
                        Metric.Direction.HIGHER,
                        "Q"),
                Metric.curve(
                        "Q_corr_norm",
                        "Q_corr divided by its maximum for the partition",
                        Metric.Direction.HIGHER,
                        "Q_norm"),
                Metric.curve(
                        "D_corr",
                        "functional separation index of the units' |correlation| with function 1 and 2",
                        Metric.Direction.HIGHER,
                        "D"),
                Metric.curve(
                        "align_out",
                        "Pearson r of d_i = |c_i^(1)| - |c_i^(2)| and the output-weight difference",
                        Metric.Direction.HIGHER,
                        "align"),
                Metric.curve(
                        "align_in",
                        "Pearson r of d_i and the input-weight difference",
                        Metric.Direction.HIGHER,
                        "align"));
    }

    @Override
    public AnalysisResult analyze(Snapshot s, PluginParams params) {
        Params p = params.as(Params.class);
        INDArray act = s.trajectory().analysisActivity();
        int batch = (int) act.size(0);
        int time = (int) act.size(1);
        int n = (int) act.size(2);
        INDArray ref = p.correlateWith().equals("output")
                ? s.trajectory().outputs()
                : s.batch()
                        .targets()
                        .get(
                                NDArrayIndex.all(),
                                NDArrayIndex.interval(
                                        s.batch().transientSteps(), s.batch().time()),
                                NDArrayIndex.all());
        int from = Math.min(p.fromStep(), time - 1);
        INDArray a = act.get(NDArrayIndex.all(), NDArrayIndex.interval(from, time), NDArrayIndex.all());
        INDArray b = ref.get(NDArrayIndex.all(), NDArrayIndex.interval(from, time), NDArrayIndex.all());
        int outs = (int) b.size(2);
        int rows = batch * (time - from);
        double[] x = a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] y = b.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[][] c = Modularity.correlations(x, n, y, outs, rows); // [N][outs]
        double[][] units = Modularity.correlations(x, n, x, n, rows);
        Weights.checkIndices("outputGroups", p.outputGroups(), outs, "outputs");
        double[] a1 = strength(c, p.outputGroups().get(0));
        double[] a2 = strength(c, p.outputGroups().get(1));
        Modularity.Q q =
                Modularity.newman(units, s.groups().group1(), s.groups().group2());
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("Q_corr", q.q());
        out.put("Q_corr_norm", q.normalized());
        out.put(
                "D_corr",
                Modularity.separation(a1, a2, s.groups().group1(), s.groups().group2()));
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = a1[i] - a2[i];
        }
        if (s.parameters().containsKey(p.outputWeight())) {
            double[][] w = Weights.matrix(s.parameters(), p.outputWeight());
            double[] o1 = Weights.outputStrength(w, p.outputGroups().get(0));
            double[] o2 = Weights.outputStrength(w, p.outputGroups().get(1));
            out.put("align_out", Modularity.pearson(d, difference(o1, o2)));
        }
        if (s.parameters().containsKey(p.inputWeight())) {
            double[][] w = Weights.matrix(s.parameters(), p.inputWeight());
            double[] i1 = Weights.inputStrength(w, p.inputGroups().get(0));
            double[] i2 = Weights.inputStrength(w, p.inputGroups().get(1));
            out.put("align_in", Modularity.pearson(d, difference(i1, i2)));
        }
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        arrays.put("corr_target", Nd4j.createFromArray(c).transpose().dup('c'));
        arrays.put("corr_units", Nd4j.createFromArray(units));
        return new AnalysisResult(out, arrays);
    }

    /**
     * The paper's Fig. 5: every unit at (|c^(1)|, |c^(2)|), its mean |correlation| with the
     * targets of function 1 and 2, G1 as circles and G2 as triangles, from the stored
     * {@code corr_target}.
     */
    @Override
    public List<Figure> figures(StoredSnapshot s, PluginParams params) {
        Params p = params.as(Params.class);
        INDArray stored = s.arrays().get("corr_target");
        if (stored == null) {
            return List.of();
        }
        double[][] c = stored.castTo(DataType.DOUBLE).transpose().toDoubleMatrix(); // [N][outputs]
        double[] a1 = strength(c, p.outputGroups().get(0));
        double[] a2 = strength(c, p.outputGroups().get(1));
        XYPlot plot = XYPlot.of(
                        "",
                        "|c⁽¹⁾|  (correlation with " + p.correlateWith() + " 1)",
                        "|c⁽²⁾|  (correlation with " + p.correlateWith() + " 2)")
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
        Double d = s.scalars().get("D_corr");
        String title = "Unit–" + p.correlateWith() + " correlations, epoch " + s.epoch()
                + (d == null ? "" : String.format(" (D_corr = %.3f)", d));
        return List.of(Figure.grid(String.format("scatter-epoch-%04d", s.epoch()), title, 1, List.of(plot), 560, 520));
    }

    /** Per unit, the mean |c| over the outputs of one function; {@code c} is {@code [N][outputs]}. */
    private static double[] strength(double[][] c, List<Integer> outputs) {
        double[] a = new double[c.length];
        for (int i = 0; i < c.length; i++) {
            for (int k : outputs) {
                a[i] += Math.abs(c[i][k]) / outputs.size();
            }
        }
        return a;
    }

    private static double[] difference(double[] a, double[] b) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
        }
        return d;
    }
}
