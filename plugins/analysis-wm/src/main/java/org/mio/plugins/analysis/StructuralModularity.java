package org.mio.plugins.analysis;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mio.api.analysis.AnalysisResult;
import org.mio.api.analysis.Analyzer;
import org.mio.api.analysis.Snapshot;
import org.mio.api.annotations.AnalyzerKind;
import org.mio.api.plugin.PluginParams;
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
    public record Params(String recurrentWeight, List<Integer> recurrentColumns, String inputWeight,
            List<List<Integer>> inputGroups, String outputWeight, List<List<Integer>> outputGroups) {
        /** Applies defaults. */
        public Params {
            recurrentWeight = recurrentWeight == null ? "W_rec" : recurrentWeight;
            inputWeight = inputWeight == null ? "W_in" : inputWeight;
            inputGroups = inputGroups == null ? List.of(List.of(0, 1), List.of(2, 3)) : inputGroups;
            outputWeight = outputWeight == null ? "W_out" : outputWeight;
            outputGroups = outputGroups == null ? List.of(List.of(0), List.of(1)) : outputGroups;
            Weights.checkPair("inputGroups", inputGroups);
            Weights.checkPair("outputGroups", outputGroups);
            if (recurrentColumns != null && (recurrentColumns.size() != 2 || recurrentColumns.get(0) >= recurrentColumns.get(1))) {
                throw new IllegalArgumentException("recurrentColumns must be [from, to) with from < to, found " + recurrentColumns);
            }
        }
    }

    @Override
    public AnalysisResult analyze(Snapshot s, PluginParams params) {
        Params p = params.as(Params.class);
        double[][] rec = Weights.matrix(s.parameters(), p.recurrentWeight());
        if (p.recurrentColumns() != null) {
            int from = p.recurrentColumns().get(0);
            double[][] block = new double[rec.length][];
            for (int i = 0; i < rec.length; i++) {
                block[i] = java.util.Arrays.copyOfRange(rec[i], from, p.recurrentColumns().get(1));
            }
            rec = block;
        }
        Modularity.Q q = Modularity.newman(rec, s.groups());
        double[][] win = Weights.matrix(s.parameters(), p.inputWeight());
        double[][] wout = Weights.matrix(s.parameters(), p.outputWeight());
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("Q_str", q.q());
        out.put("Q_str_norm", q.normalized());
        out.put("D_in", Modularity.separation(Weights.inputStrength(win, p.inputGroups().get(0)),
                Weights.inputStrength(win, p.inputGroups().get(1)), s.groups()));
        out.put("D_out", Modularity.separation(Weights.outputStrength(wout, p.outputGroups().get(0)),
                Weights.outputStrength(wout, p.outputGroups().get(1)), s.groups()));
        return new AnalysisResult(out, Map.of());
    }
}
