package org.mio.api.figure;

/**
 * How a {@link Series} is drawn.
 *
 * @param line whether consecutive points are joined
 * @param marker the point marker, or {@link Marker#NONE}
 * @param color {@code #rrggbb}, or {@code null} for the renderer's palette
 * @param width line width in pixels, above 0
 * @param dashed whether the line is dashed
 * @param alpha opacity in (0, 1]; below 1 for many overlapping individual curves
 */
public record Style(boolean line, Marker marker, String color, double width, boolean dashed, double alpha) {

    /** A solid line in the palette's next color. */
    public static final Style LINE = new Style(true, Marker.NONE, null, 1.5, false, 1.0);

    /** Points (circles) without a line. */
    public static final Style POINTS = new Style(false, Marker.CIRCLE, null, 1.0, false, 1.0);

    /** Checks the values. */
    public Style {
        if (!line && marker == Marker.NONE) {
            throw new IllegalArgumentException("a style needs a line or a marker");
        }
        if (color != null && !color.matches("#[0-9a-fA-F]{6}")) {
            throw new IllegalArgumentException("color must be #rrggbb, found '" + color + "'");
        }
        if (!(width > 0)) {
            throw new IllegalArgumentException("line width must be above 0, found " + width);
        }
        if (!(alpha > 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1], found " + alpha);
        }
    }

    /** This style in a fixed color. */
    public Style color(String rgb) {
        return new Style(line, marker, rgb, width, dashed, alpha);
    }

    /** This style with another line width. */
    public Style width(double w) {
        return new Style(line, marker, color, w, dashed, alpha);
    }

    /** This style, dashed. */
    public Style withDashes() {
        return new Style(line, marker, color, width, true, alpha);
    }

    /** This style with another opacity. */
    public Style alpha(double a) {
        return new Style(line, marker, color, width, dashed, a);
    }

    /** This style with another marker. */
    public Style marker(Marker m) {
        return new Style(line, m, color, width, dashed, alpha);
    }

    /** Point markers. */
    public enum Marker {
        /** No marker. */
        NONE,
        /** A circle. */
        CIRCLE,
        /** A triangle pointing up. */
        TRIANGLE,
        /** A square. */
        SQUARE
    }
}
