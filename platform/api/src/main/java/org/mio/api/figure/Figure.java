package org.mio.api.figure;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A figure: plots laid out row by row in a grid of {@code columns} columns, under a title.
 *
 * @param name file stem of the written files ({@code name.png}, {@code name.svg}): lower-case
 *     letters, digits and {@code -}
 * @param title shown above the plots; may be empty
 * @param columns plots per row, at least 1
 * @param plots at least one
 * @param width width in pixels of the whole figure (PNG pixels, SVG user units)
 * @param height height in pixels of the whole figure
 */
public record Figure(String name, String title, int columns, List<Plot> plots, int width, int height) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

    /** Checks the name, the grid and the size. */
    public Figure {
        Objects.requireNonNull(title, "title");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "figure name must be lower-case letters, digits and '-', found '" + name + "'");
        }
        plots = List.copyOf(plots);
        if (plots.isEmpty()) {
            throw new IllegalArgumentException("figure " + name + " has no plots");
        }
        if (columns < 1) {
            throw new IllegalArgumentException("figure " + name + ": columns must be at least 1, found " + columns);
        }
        if (width < 100 || height < 100) {
            throw new IllegalArgumentException(
                    "figure " + name + ": size must be at least 100×100, found " + width + "×" + height);
        }
    }

    /**
     * A figure sized for its grid: {@code panelWidth × panelHeight} per plot plus room for the title.
     */
    public static Figure grid(
            String name, String title, int columns, List<Plot> plots, int panelWidth, int panelHeight) {
        int rows = (plots.size() + Math.max(columns, 1) - 1) / Math.max(columns, 1);
        int cols = Math.min(columns, Math.max(plots.size(), 1));
        return new Figure(name, title, cols, plots, cols * panelWidth, rows * panelHeight + (title.isEmpty() ? 0 : 40));
    }

    /** Number of rows of the grid. */
    public int rows() {
        return (plots.size() + columns - 1) / columns;
    }
}
