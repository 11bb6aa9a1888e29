package org.mio.api.figure;

import java.util.Objects;

/**
 * A named sequence of points. Non-finite values are gaps.
 *
 * @param name shown in the legend; an empty name keeps the series out of the legend
 * @param x abscissae
 * @param y ordinates, as many as {@code x}
 * @param style how it is drawn
 */
public record Series(String name, double[] x, double[] y, Style style) {

    /** Checks lengths; copies the arrays. */
    public Series {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(style, "style");
        if (x.length != y.length) {
            throw new IllegalArgumentException(
                    "series '" + name + "' has " + x.length + " x values and " + y.length + " y values");
        }
        x = x.clone();
        y = y.clone();
    }

    /** A series over {@code 0, 1, …, y.length − 1}. */
    public static Series indexed(String name, double[] y, Style style) {
        double[] x = new double[y.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        return new Series(name, x, y, style);
    }

    /**
     * The points {@code (x[i], y[i])} for {@code i} in {@code points}, in that order; e.g. one
     * group's units in a scatter of per-unit values.
     */
    public static Series of(String name, int[] points, double[] x, double[] y, Style style) {
        double[] px = new double[points.length];
        double[] py = new double[points.length];
        for (int k = 0; k < points.length; k++) {
            px[k] = x[points[k]];
            py[k] = y[points[k]];
        }
        return new Series(name, px, py, style);
    }
}
