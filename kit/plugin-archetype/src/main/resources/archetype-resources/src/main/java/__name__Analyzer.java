package ${package};

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mio.api.analysis.AnalysisResult;
import org.mio.api.analysis.Analyzer;
import org.mio.api.analysis.Snapshot;
import org.mio.api.annotations.AnalyzerKind;
import org.mio.api.plugin.Metric;
import org.mio.api.plugin.PluginParams;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.osgi.service.component.annotations.Component;

/**
 * The participation ratio of each group's activity, PR = (tr C)² / tr(C²) with C the covariance of
 * the group's units over all time steps and sequences of the snapshot: how many dimensions the
 * group's activity really spans (1 when all units move together, the group's size when they are
 * independent and equally strong). Recorded as {@code pr_g1} and {@code pr_g2} at every snapshot.
 * Replace it with your own measure: {@link #analyze} returns named scalars (one curve each over
 * training) and arrays (stored with the snapshot); {@link #metrics} describes the scalars.
 */
@Component
@AnalyzerKind("${artifactId}")
public final class ${name}Analyzer implements Analyzer {

    /**
     * What the experiment's {@code analysis[i].params} may hold (boxed: optional).
     *
     * @param normalize divide each ratio by its group's size, giving a fraction in (0, 1] (default false)
     */
    public record Params(Boolean normalize) {
        /** Applies the default. */
        public Params {
            normalize = normalize != null && normalize;
        }
    }

    @Override
    public AnalysisResult analyze(Snapshot snapshot, PluginParams params) {
        Params p = params.as(Params.class);
        INDArray activity = snapshot.trajectory().analysisActivity(); // [batch, time, units]
        long units = activity.size(2);
        INDArray rows = activity.castTo(DataType.DOUBLE).reshape('c', activity.size(0) * activity.size(1), units);
        Map<String, Double> scalars = new LinkedHashMap<>();
        scalars.put("pr_g1", ratio(rows, snapshot.groups().group1(), p.normalize()));
        scalars.put("pr_g2", ratio(rows, snapshot.groups().group2(), p.normalize()));
        return new AnalysisResult(scalars, Map.of());
    }

    @Override
    public List<Metric> metrics(PluginParams params) {
        return List.of(
                Metric.curve("pr_g1", "participation ratio of G1's activity", Metric.Direction.NONE, "pr"),
                Metric.curve("pr_g2", "participation ratio of G2's activity", Metric.Direction.NONE, "pr"));
    }

    /** (tr C)² / tr(C²) of the columns {@code units}; 0 for a group whose units are all constant. */
    static double ratio(INDArray rows, int[] units, boolean normalize) {
        INDArray g = Nd4j.create(DataType.DOUBLE, rows.size(0), units.length);
        for (int j = 0; j < units.length; j++) {
            g.putColumn(j, rows.getColumn(units[j]));
        }
        INDArray centred = g.subRowVector(g.mean(0));
        INDArray c = centred.transpose().mmul(centred).divi(rows.size(0));
        double trace = 0;
        for (int j = 0; j < units.length; j++) {
            trace += c.getDouble(j, j);
        }
        double squares = c.mul(c).sumNumber().doubleValue(); // tr(C²) = Σ C_ij² for symmetric C
        double pr = squares > 0 ? trace * trace / squares : 0.0;
        return normalize ? pr / units.length : pr;
    }
}
