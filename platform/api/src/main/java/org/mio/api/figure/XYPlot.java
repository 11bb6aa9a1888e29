package org.mio.api.figure;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Lines and points on numeric axes.
 *
 * @param title panel title
 * @param xLabel x-axis label
 * @param yLabel y-axis label
 * @param series drawn in order
 * @param bands shaded x ranges, e.g. the transient
 * @param xMarkers thin vertical lines, e.g. the snapshot epochs
 * @param logY a logarithmic y axis (renderers fall back to linear if a value is not positive)
 * @param xRange fixed x range, or {@code null} for automatic
 * @param yRange fixed y range, or {@code null} for automatic
 * @param xTicks names of the integer x positions {@code 0, 1, …} (categories), or empty for a
 *     numeric axis
 */
public record XYPlot(
        String title,
        String xLabel,
        String yLabel,
        List<Series> series,
        List<Band> bands,
        List<Double> xMarkers,
        boolean logY,
        Range xRange,
        Range yRange,
        List<String> xTicks)
        implements Plot {

    /** Copies the lists. */
    public XYPlot {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(xLabel, "xLabel");
        Objects.requireNonNull(yLabel, "yLabel");
        series = List.copyOf(series);
        bands = List.copyOf(bands);
        xMarkers = List.copyOf(xMarkers);
        xTicks = List.copyOf(xTicks);
    }

    /** An empty plot with linear automatic axes. */
    public static XYPlot of(String title, String xLabel, String yLabel) {
        return new XYPlot(title, xLabel, yLabel, List.of(), List.of(), List.of(), false, null, null, List.of());
    }

    /** This plot with one more series. */
    public XYPlot with(Series s) {
        List<Series> all = new ArrayList<>(series);
        all.add(s);
        return new XYPlot(title, xLabel, yLabel, all, bands, xMarkers, logY, xRange, yRange, xTicks);
    }

    /** This plot with one more shaded x range. */
    public XYPlot band(Band b) {
        List<Band> all = new ArrayList<>(bands);
        all.add(b);
        return new XYPlot(title, xLabel, yLabel, series, all, xMarkers, logY, xRange, yRange, xTicks);
    }

    /** This plot with vertical marker lines. */
    public XYPlot markers(List<Double> xs) {
        return new XYPlot(title, xLabel, yLabel, series, bands, xs, logY, xRange, yRange, xTicks);
    }

    /** This plot with a logarithmic y axis. */
    public XYPlot logarithmicY() {
        return new XYPlot(title, xLabel, yLabel, series, bands, xMarkers, true, xRange, yRange, xTicks);
    }

    /** This plot with fixed axis ranges ({@code null} keeps one automatic). */
    public XYPlot ranges(Range x, Range y) {
        return new XYPlot(title, xLabel, yLabel, series, bands, xMarkers, logY, x, y, xTicks);
    }

    /** This plot with named integer x positions. */
    public XYPlot categories(List<String> names) {
        return new XYPlot(title, xLabel, yLabel, series, bands, xMarkers, logY, xRange, yRange, names);
    }

    /**
     * A shaded x range.
     *
     * @param from start
     * @param to end, at least {@code from}
     * @param label shown in the band; may be empty
     */
    public record Band(double from, double to, String label) {

        /** Checks the order. */
        public Band {
            Objects.requireNonNull(label, "label");
            if (!(to >= from)) {
                throw new IllegalArgumentException("band end " + to + " is before its start " + from);
            }
        }
    }
}
