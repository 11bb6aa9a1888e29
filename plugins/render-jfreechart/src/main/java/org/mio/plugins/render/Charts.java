package org.mio.plugins.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.statistics.HistogramType;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.mio.api.figure.HeatMap;
import org.mio.api.figure.Histogram;
import org.mio.api.figure.Plot;
import org.mio.api.figure.Series;
import org.mio.api.figure.Style;
import org.mio.api.figure.XYPlot;

/** Turns mio plots into JFreeChart charts. */
final class Charts {

    /** The default palette (matplotlib's tab10), used in order for series without a color. */
    static final String[] PALETTE = {
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"
    };

    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 13);
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font TICK = new Font(Font.SANS_SERIF, Font.PLAIN, 10);
    private static final Color GRID = new Color(0xE0E0E0);

    private Charts() {}

    static JFreeChart chart(Plot p) {
        if (p instanceof XYPlot xy) {
            return xy(xy);
        }
        if (p instanceof HeatMap hm) {
            return heatMap(hm);
        }
        return histogram((Histogram) p);
    }

    /** A series key that may repeat names (individual curves) but is unique by index. */
    private record Key(int index, String name) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            return Integer.compare(index, o.index);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    // --- lines and points ---

    static JFreeChart xy(XYPlot p) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer();
        boolean positive = true;
        boolean legend = false;
        int paletteNext = 0;
        for (int i = 0; i < p.series().size(); i++) {
            Series s = p.series().get(i);
            XYSeries xs = new XYSeries(new Key(i, s.name()), false, true);
            for (int k = 0; k < s.x().length; k++) {
                double y = s.y()[k];
                if (!Double.isFinite(s.x()[k])) {
                    continue;
                }
                if (Double.isFinite(y)) {
                    xs.add(s.x()[k], y);
                    positive &= y > 0;
                } else {
                    xs.add(s.x()[k], null);
                }
            }
            data.addSeries(xs);
            Style st = s.style();
            String color = st.color() != null ? st.color() : PALETTE[paletteNext++ % PALETTE.length];
            r.setSeriesPaint(i, color(color, st.alpha()));
            r.setSeriesLinesVisible(i, st.line());
            r.setSeriesShapesVisible(i, st.marker() != Style.Marker.NONE);
            r.setSeriesShape(i, shape(st.marker(), 3.5 + st.width()));
            r.setSeriesStroke(i, stroke(st.width(), st.dashed()));
            r.setSeriesVisibleInLegend(i, !s.name().isEmpty());
            legend |= !s.name().isEmpty();
        }
        r.setDrawSeriesLineAsPath(true);
        ValueAxis x = p.xTicks().isEmpty()
                ? numberAxis(p.xLabel())
                : new SymbolAxis(p.xLabel(), p.xTicks().toArray(String[]::new));
        style(x);
        if (!p.xTicks().isEmpty()) {
            x.setRange(-0.5, p.xTicks().size() - 0.5);
        }
        ValueAxis y;
        if (p.logY() && positive) {
            LogarithmicAxis log = new LogarithmicAxis(p.yLabel());
            log.setAllowNegativesFlag(false);
            log.setStrictValuesFlag(false);
            y = log;
        } else {
            y = numberAxis(p.yLabel());
        }
        style(y);
        if (p.xRange() != null) {
            x.setRange(p.xRange().lower(), p.xRange().upper());
        }
        if (p.yRange() != null) {
            y.setRange(p.yRange().lower(), p.yRange().upper());
        }
        org.jfree.chart.plot.XYPlot plot = new org.jfree.chart.plot.XYPlot(data, x, y, r);
        for (XYPlot.Band b : p.bands()) {
            IntervalMarker m = new IntervalMarker(b.from(), b.to(), new Color(0, 0, 0, 22));
            if (!b.label().isEmpty()) {
                m.setLabel(b.label());
                m.setLabelFont(TICK);
                m.setLabelAnchor(RectangleAnchor.TOP_LEFT);
                m.setLabelTextAnchor(TextAnchor.TOP_LEFT);
                m.setLabelOffset(new RectangleInsets(4, 4, 4, 4));
            }
            plot.addDomainMarker(m, Layer.BACKGROUND);
        }
        for (double mx : p.xMarkers()) {
            ValueMarker m = new ValueMarker(mx, new Color(0, 0, 0, 40), new BasicStroke(0.8f));
            plot.addDomainMarker(m, Layer.BACKGROUND);
        }
        return finish(p.title(), plot, legend);
    }

    // --- heat maps ---

    static JFreeChart heatMap(HeatMap h) {
        int rows = h.values().length;
        int cols = h.values()[0].length;
        double[][] xyz = new double[3][rows * cols];
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                int k = i * cols + j;
                double v = h.values()[i][j];
                xyz[0][k] = j;
                xyz[1][k] = i;
                xyz[2][k] = v;
                if (Double.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        if (!(max >= min)) {
            min = 0;
            max = 1;
        }
        double lo;
        double hi;
        if (h.diverging()) {
            double m = Math.max(Math.abs(min), Math.abs(max));
            lo = -(m > 0 ? m : 1);
            hi = -lo;
        } else {
            lo = min;
            hi = max > min ? max : min + 1;
        }
        ColorScale scale = new ColorScale(lo, hi, h.diverging());
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("values", xyz);
        XYBlockRenderer r = new XYBlockRenderer();
        r.setPaintScale(scale);
        NumberAxis x = numberAxis(h.xLabel());
        x.setRange(-0.5, cols - 0.5);
        NumberAxis y = numberAxis(h.yLabel());
        y.setRange(-0.5, rows - 0.5);
        y.setInverted(true);
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        y.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        style(x);
        style(y);
        org.jfree.chart.plot.XYPlot plot = new org.jfree.chart.plot.XYPlot(data, x, y, r);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        for (double b : h.boundaries()) {
            Stroke s = new BasicStroke(1.6f);
            plot.addDomainMarker(new ValueMarker(b - 0.5, Color.BLACK, s), Layer.FOREGROUND);
            plot.addRangeMarker(new ValueMarker(b - 0.5, Color.BLACK, s), Layer.FOREGROUND);
        }
        JFreeChart chart = finish(h.title(), plot, false);
        NumberAxis scaleAxis = new NumberAxis(h.valueLabel());
        scaleAxis.setRange(lo, hi);
        style(scaleAxis);
        PaintScaleLegend legend = new PaintScaleLegend(scale, scaleAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setMargin(new RectangleInsets(6, 6, 6, 6));
        legend.setStripWidth(12);
        legend.setAxisOffset(4);
        legend.setBackgroundPaint(Color.WHITE);
        chart.addSubtitle(legend);
        return chart;
    }

    /** Blue–white–red around 0 (diverging), or a viridis-like ramp (sequential). */
    static final class ColorScale implements PaintScale {
        private static final Color[] DIVERGING = {
            new Color(0x2166AC), new Color(0x67A9CF), new Color(0xF7F7F7), new Color(0xEF8A62), new Color(0xB2182B)
        };
        private static final Color[] SEQUENTIAL = {
            new Color(0x440154), new Color(0x3B528B), new Color(0x21918C), new Color(0x5EC962), new Color(0xFDE725)
        };

        private final double lower;
        private final double upper;
        private final Color[] stops;

        ColorScale(double lower, double upper, boolean diverging) {
            this.lower = lower;
            this.upper = upper;
            this.stops = diverging ? DIVERGING : SEQUENTIAL;
        }

        @Override
        public double getLowerBound() {
            return lower;
        }

        @Override
        public double getUpperBound() {
            return upper;
        }

        @Override
        public Paint getPaint(double value) {
            if (!Double.isFinite(value)) {
                return Color.LIGHT_GRAY;
            }
            double t = (value - lower) / (upper - lower);
            t = Math.max(0, Math.min(1, t)) * (stops.length - 1);
            int k = Math.min((int) t, stops.length - 2);
            double f = t - k;
            Color a = stops[k];
            Color b = stops[k + 1];
            return new Color(
                    mix(a.getRed(), b.getRed(), f),
                    mix(a.getGreen(), b.getGreen(), f),
                    mix(a.getBlue(), b.getBlue(), f));
        }

        private static int mix(int a, int b, double f) {
            return (int) Math.round(a + (b - a) * f);
        }
    }

    // --- histograms ---

    static JFreeChart histogram(Histogram h) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        List<double[]> finite = new ArrayList<>();
        for (Histogram.Sample s : h.samples()) {
            double[] v =
                    java.util.Arrays.stream(s.values()).filter(Double::isFinite).toArray();
            finite.add(v);
            for (double d : v) {
                lo = Math.min(lo, d);
                hi = Math.max(hi, d);
            }
        }
        if (h.range() != null) {
            lo = h.range().lower();
            hi = h.range().upper();
        } else if (!(hi > lo)) {
            lo = Double.isFinite(lo) ? lo - 0.5 : 0;
            hi = lo + 1;
        }
        HistogramDataset data = new HistogramDataset();
        data.setType(h.density() ? HistogramType.SCALE_AREA_TO_1 : HistogramType.FREQUENCY);
        XYBarRenderer r = new XYBarRenderer();
        r.setBarPainter(new StandardXYBarPainter());
        r.setShadowVisible(false);
        r.setDrawBarOutline(true);
        int kept = 0;
        for (int i = 0; i < h.samples().size(); i++) {
            double[] v = finite.get(i);
            if (v.length == 0) {
                continue;
            }
            final double a = lo;
            final double b = hi;
            double[] inRange =
                    java.util.Arrays.stream(v).filter(d -> d >= a && d <= b).toArray();
            if (inRange.length == 0) {
                continue;
            }
            data.addSeries(new Key(i, h.samples().get(i).name()), inRange, h.bins(), lo, hi);
            String c = h.samples().get(i).color() != null ? h.samples().get(i).color() : PALETTE[i % PALETTE.length];
            r.setSeriesPaint(kept, color(c, h.samples().size() > 1 ? 0.55 : 0.85));
            r.setSeriesOutlinePaint(kept, color(c, 1.0));
            r.setSeriesOutlineStroke(kept, new BasicStroke(0.6f));
            kept++;
        }
        NumberAxis x = numberAxis(h.xLabel());
        x.setRange(lo, hi);
        NumberAxis y = numberAxis(h.density() ? "density" : "count");
        style(x);
        style(y);
        org.jfree.chart.plot.XYPlot plot = new org.jfree.chart.plot.XYPlot(data, x, y, r);
        return finish(h.title(), plot, kept > 0);
    }

    // --- shared ---

    private static NumberAxis numberAxis(String label) {
        NumberAxis a = new NumberAxis(label);
        a.setAutoRangeIncludesZero(false);
        return a;
    }

    private static void style(ValueAxis a) {
        a.setLabelFont(LABEL);
        a.setTickLabelFont(TICK);
    }

    private static JFreeChart finish(String title, org.jfree.chart.plot.XYPlot plot, boolean legend) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);
        plot.setOutlinePaint(Color.GRAY);
        JFreeChart chart = new JFreeChart(title.isEmpty() ? null : title, TITLE, plot, legend);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        if (!title.isEmpty()) {
            TextTitle t = chart.getTitle();
            t.setPaint(Color.BLACK);
        }
        if (chart.getLegend() != null) {
            chart.getLegend().setItemFont(TICK);
            chart.getLegend().setFrame(BlockBorder.NONE);
            chart.getLegend().setBackgroundPaint(Color.WHITE);
        }
        return chart;
    }

    static Color color(String rgb, double alpha) {
        int v = Integer.parseInt(rgb.substring(1), 16);
        return new Color((v >> 16) & 0xFF, (v >> 8) & 0xFF, v & 0xFF, (int) Math.round(alpha * 255));
    }

    private static Stroke stroke(double width, boolean dashed) {
        float w = (float) width;
        return dashed
                ? new BasicStroke(
                        w,
                        BasicStroke.CAP_BUTT,
                        BasicStroke.JOIN_ROUND,
                        1f,
                        new float[] {6f * Math.max(1f, w / 1.5f), 4f * Math.max(1f, w / 1.5f)},
                        0f)
                : new BasicStroke(w, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    }

    private static Shape shape(Style.Marker m, double size) {
        double s = size;
        return switch (m) {
            case NONE, CIRCLE -> new Ellipse2D.Double(-s / 2, -s / 2, s, s);
            case SQUARE -> new Rectangle2D.Double(-s / 2, -s / 2, s, s);
            case TRIANGLE -> {
                Path2D.Double t = new Path2D.Double();
                double r = s * 0.62;
                t.moveTo(0, -r);
                t.lineTo(r * 0.866, r * 0.5);
                t.lineTo(-r * 0.866, r * 0.5);
                t.closePath();
                yield t;
            }
        };
    }
}
