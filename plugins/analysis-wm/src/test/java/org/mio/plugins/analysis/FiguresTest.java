package org.mio.plugins.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mio.api.analysis.StoredSnapshot;
import org.mio.api.figure.Figure;
import org.mio.api.figure.HeatMap;
import org.mio.api.figure.Histogram;
import org.mio.api.figure.Series;
import org.mio.api.figure.Style;
import org.mio.api.figure.XYPlot;
import org.mio.api.model.UnitGroups;
import org.mio.testkit.TestParams;
import org.nd4j.linalg.factory.Nd4j;

/** The analyzers' figures, built from stored arrays of a hand-made snapshot. */
class FiguresTest {

    /** Three units; G1 = {0, 2}, G2 = {1} (not contiguous, to check the reordering). */
    private static StoredSnapshot snapshot() {
        UnitGroups g = new UnitGroups(new int[] {0, 2}, new int[] {1});
        double[][] rec = {{1, 2, 3}, {4, 5, 6}, {7, 8, -9}};
        double[][] corr = {{0.9, -0.1, 0.5}, {0.2, -0.8, 0.0}}; // [outputs][units]
        return new StoredSnapshot(
                40,
                Map.of("W_rec", Nd4j.createFromArray(rec)),
                g,
                Map.of("D_corr", 0.5, "Q_str", 0.125),
                Map.of("corr_target", Nd4j.createFromArray(corr)));
    }

    @Test
    void scatterPlacesEachUnitAtItsAbsoluteCorrelations() {
        List<Figure> figs = new FunctionalModularity().figures(snapshot(), TestParams.empty());
        assertEquals(1, figs.size());
        Figure f = figs.get(0);
        assertEquals("scatter-epoch-0040", f.name());
        assertTrue(f.title().contains("D_corr = 0.500"), f.title());
        XYPlot p = (XYPlot) f.plots().get(0);
        Series g1 = p.series().get(1);
        Series g2 = p.series().get(2);
        assertEquals("G1", g1.name());
        assertArrayEquals(new double[] {0.9, 0.5}, g1.x(), 1e-12);
        assertArrayEquals(new double[] {0.2, 0.0}, g1.y(), 1e-12);
        assertArrayEquals(new double[] {0.1}, g2.x(), 1e-12);
        assertArrayEquals(new double[] {0.8}, g2.y(), 1e-12);
        assertEquals(Style.Marker.CIRCLE, g1.style().marker());
        assertEquals(Style.Marker.TRIANGLE, g2.style().marker());
    }

    @Test
    void noStoredCorrelationsMeansNoScatter() {
        StoredSnapshot s = snapshot();
        StoredSnapshot bare = new StoredSnapshot(s.epoch(), s.parameters(), s.groups(), Map.of(), Map.of());
        assertEquals(List.of(), new FunctionalModularity().figures(bare, TestParams.empty()));
    }

    @Test
    void heatMapOrdersUnitsByGroupAndHistogramsSplitTheBlocks() {
        List<Figure> figs = new StructuralModularity().figures(snapshot(), TestParams.empty());
        assertEquals(
                List.of("wrec-epoch-0040", "wrec-blocks-epoch-0040"),
                figs.stream().map(Figure::name).toList());
        HeatMap h = (HeatMap) figs.get(0).plots().get(0);
        // order 0, 2, 1: rows and columns permuted alike
        assertArrayEquals(new double[] {1, 3, 2}, h.values()[0]);
        assertArrayEquals(new double[] {7, -9, 8}, h.values()[1]);
        assertArrayEquals(new double[] {4, 6, 5}, h.values()[2]);
        assertEquals(List.of(2.0), h.boundaries());
        assertTrue(h.diverging());
        assertTrue(figs.get(0).title().contains("Q_str = 0.125"));
        List<Histogram> blocks =
                figs.get(1).plots().stream().map(p -> (Histogram) p).toList();
        assertEquals(
                List.of("G1→G1", "G1→G2", "G2→G1", "G2→G2"),
                blocks.stream().map(b -> b.samples().get(0).name()).toList());
        assertArrayEquals(
                new double[] {1, 3, 7, 9}, blocks.get(0).samples().get(0).values());
        assertArrayEquals(new double[] {2, 8}, blocks.get(1).samples().get(0).values());
        assertArrayEquals(new double[] {4, 6}, blocks.get(2).samples().get(0).values());
        assertArrayEquals(new double[] {5}, blocks.get(3).samples().get(0).values());
        assertEquals(9.0, blocks.get(0).range().upper(), "shared range up to max |W|");
    }
}
