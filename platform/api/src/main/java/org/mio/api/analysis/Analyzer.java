package org.mio.api.analysis;

import java.util.List;
import org.mio.api.figure.Figure;
import org.mio.api.plugin.Metric;
import org.mio.api.plugin.PluginParams;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * An analysis plugin, registered with the property {@link #KIND}, e.g.
 * {@code @Component @AnalyzerKind("wm-modularity")}. Stateless and thread-safe.
 */
@ConsumerType
public interface Analyzer {

    /** Service property (String): the kind experiments name this analyzer by. */
    String KIND = "mio.analyzer.kind";

    /**
     * Analyzes one snapshot.
     *
     * @param snapshot parameters, evaluation batch and activity at one epoch; read-only
     * @param params this analyzer's {@code params} in the experiment's {@code analysis} list
     * @return named scalars (curves over training) and arrays (written as {@code .npy})
     * @throws org.mio.api.plugin.ConfigException if a parameter is invalid
     */
    AnalysisResult analyze(Snapshot snapshot, PluginParams params);

    /**
     * The scalars {@link #analyze} returns with these parameters, described for summaries,
     * criteria and figures (normally {@linkplain Metric#curve curves} over training). Names not
     * listed here are still recorded; they are summarized without a direction.
     *
     * @param params this analyzer's {@code params}
     * @return one entry per scalar name; none by default
     * @throws org.mio.api.plugin.ConfigException if a parameter is invalid
     */
    default List<Metric> metrics(PluginParams params) {
        return List.of();
    }

    /**
     * Figures of one stored snapshot, drawn from what {@link #analyze} stored (its arrays and
     * scalars) and the parameters; nothing is re-run. Called for the final snapshot at the end
     * of a run and by {@code mio figures} for any snapshot. Names must differ between snapshots,
     * e.g. {@code scatter-epoch-0100}.
     *
     * @param snapshot the stored snapshot
     * @param params this analyzer's {@code params}
     * @return figures; none by default
     */
    default List<Figure> figures(StoredSnapshot snapshot, PluginParams params) {
        return List.of();
    }
}
