package org.mio.api.figure;

/** One panel of a {@link Figure}. */
public sealed interface Plot permits XYPlot, HeatMap, Histogram {

    /** Shown above the panel; may be empty. */
    String title();
}
