package org.mio.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.mio.api.analysis.AnalysisResult;
import org.mio.api.analysis.Analyzer;
import org.mio.api.analysis.Snapshot;
import org.mio.api.plugin.PluginParams;

/** What every {@link Analyzer} must do: deterministic, finite, and leave the snapshot untouched. */
public abstract class AnalyzerContract {

    /** The service under test. */
    protected abstract Analyzer analyzer();

    /** A small snapshot the analyzer understands. */
    protected abstract Snapshot snapshot();

    /** Parameters for the analyzer (default {}). */
    protected PluginParams params() {
        return TestParams.empty();
    }

    @Test
    void resultsAreDeterministicFiniteAndLeaveTheSnapshotAlone() {
        Snapshot s = snapshot();
        var before = new java.util.LinkedHashMap<String, org.nd4j.linalg.api.ndarray.INDArray>();
        s.parameters().forEach((k, v) -> before.put(k, v.dup()));
        var activity = s.trajectory().analysisActivity().dup();
        AnalysisResult a = analyzer().analyze(s, params());
        AnalysisResult b = analyzer().analyze(s, params());
        assertEquals(a.scalars(), b.scalars());
        assertTrue(!a.scalars().isEmpty() || !a.arrays().isEmpty(), "an analyzer reports something");
        a.scalars().forEach((k, v) -> assertTrue(Double.isFinite(v), k + " = " + v));
        before.forEach((k, v) -> assertEquals(v, s.parameters().get(k), "analyzer modified parameter " + k));
        assertEquals(activity, s.trajectory().analysisActivity(), "analyzer modified the activity");
    }
}
