package org.mio.api.figure;

import java.util.List;
import java.util.Objects;

/**
 * A matrix drawn as colored cells, row 0 at the top, column 0 at the left.
 *
 * @param title panel title
 * @param xLabel label of the column axis
 * @param yLabel label of the row axis
 * @param values {@code [rows][columns]}, rectangular, at least 1×1
 * @param boundaries positions between cells where a line is drawn across both axes, e.g. the
 *     group boundary {@code 20} of a 40-unit network (drawn between cells 19 and 20)
 * @param diverging a color scale centred on 0 (blue–white–red, symmetric range) instead of a
 *     sequential one from the minimum to the maximum
 * @param valueLabel label of the color scale
 */
public record HeatMap(
        String title,
        String xLabel,
        String yLabel,
        double[][] values,
        List<Double> boundaries,
        boolean diverging,
        String valueLabel)
        implements Plot {

    /** Checks the shape; copies the matrix. */
    public HeatMap {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(valueLabel, "valueLabel");
        if (values.length == 0 || values[0].length == 0) {
            throw new IllegalArgumentException("heat map '" + title + "' is empty");
        }
        double[][] copy = new double[values.length][];
        for (int i = 0; i < values.length; i++) {
            if (values[i].length != values[0].length) {
                throw new IllegalArgumentException("heat map '" + title + "': row " + i + " has " + values[i].length
                        + " values, row 0 has " + values[0].length);
            }
            copy[i] = values[i].clone();
        }
        values = copy;
        boundaries = List.copyOf(boundaries);
    }
}
