package org.mio.api.plugin;

import java.util.Objects;

/**
 * What a plugin says about one metric it produces, so the platform can summarize, compare and
 * draw it without knowing its name: a task's score (e.g. {@code accuracy}, {@code r2_mean}) or an
 * analyzer's scalar (e.g. {@code Q_corr}, {@code D_out}).
 *
 * <p>Criteria in experiment and sweep files ({@code {"metric": "accuracy", "above": 0.9}}) and
 * onset comparisons name metrics by {@link #name()}; sweep summaries report every described metric
 * (final value per trial, mean curves for {@link #curve() curves}) and figures group the metrics of
 * one {@link #panel()} into one plot.
 *
 * @param name the key in the task's scores or the analyzer's scalars, e.g. {@code Q_corr}
 * @param description one line: what it measures, e.g. {@code functional modularity (Newman Q of
 *     the unit correlations, fixed two-group partition)}
 * @param better which direction is better: {@link Direction#HIGHER} for accuracy or R²,
 *     {@link Direction#LOWER} for a loss, {@link Direction#NONE} when neither is
 * @param curve whether its course over training is of interest (mean curves over trials, t₅₀
 *     onsets); analysis metrics normally are, task scores normally are not
 * @param panel metrics with the same non-empty panel are drawn together, e.g. {@code Q} for
 *     {@code Q_corr} and {@code Q_str}; empty for a panel of its own
 */
public record Metric(String name, String description, Direction better, boolean curve, String panel) {

    /** Which value of a metric is better. */
    public enum Direction {
        /** Larger values are better (accuracy, R², modularity where it is the aim). */
        HIGHER,
        /** Smaller values are better (losses, errors). */
        LOWER,
        /** Neither: a descriptive quantity. */
        NONE
    }

    /** Checks the name and fills empty text. */
    public Metric {
        if (name == null || !name.matches("[A-Za-z][A-Za-z0-9_.²-]*")) {
            throw new IllegalArgumentException(
                    "metric name must start with a letter and hold letters, digits, '_', '.', '-', found " + name);
        }
        description = description == null ? "" : description;
        better = Objects.requireNonNull(better, "better");
        panel = panel == null ? "" : panel;
    }

    /** A curve over training, drawn in {@code panel}. */
    public static Metric curve(String name, String description, Direction better, String panel) {
        return new Metric(name, description, better, true, panel);
    }

    /** A value reported at the end (and per epoch), not summarized as a curve. */
    public static Metric scalar(String name, String description, Direction better) {
        return new Metric(name, description, better, false, "");
    }
}
