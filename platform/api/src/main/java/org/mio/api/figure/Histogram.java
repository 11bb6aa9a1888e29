package org.mio.api.figure;

import java.util.List;
import java.util.Objects;

/**
 * Histograms of one or more samples over shared bins, drawn as translucent overlaid bars.
 *
 * @param title panel title
 * @param xLabel label of the value axis
 * @param samples named samples; the style's color is used, the rest is ignored
 * @param bins number of equal-width bins, at least 1
 * @param range the binned range, or {@code null} for the samples' minimum to maximum
 * @param density whether bar heights are densities (area 1 per sample) instead of counts
 */
public record Histogram(String title, String xLabel, List<Sample> samples, int bins, Range range, boolean density)
        implements Plot {

    /** Checks the bins; copies the list. */
    public Histogram {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(xLabel, "xLabel");
        samples = List.copyOf(samples);
        if (bins < 1) {
            throw new IllegalArgumentException("histogram '" + title + "': bins must be at least 1, found " + bins);
        }
    }

    /**
     * One sample.
     *
     * @param name legend entry
     * @param values the values; non-finite ones are skipped
     * @param color {@code #rrggbb}, or {@code null} for the palette
     */
    public record Sample(String name, double[] values, String color) {

        /** Copies the values. */
        public Sample {
            Objects.requireNonNull(name, "name");
            values = values.clone();
        }
    }
}
