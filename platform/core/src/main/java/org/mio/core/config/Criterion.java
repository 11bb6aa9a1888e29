package org.mio.core.config;

import java.util.Map;

/**
 * One condition on a final metric, e.g. {@code {"metric": "accuracy", "above": 0.9}} or
 * {@code {"metric": "task_loss", "below": 0.3}}. Exactly one of {@code above} and {@code below}
 * is given; the comparison is strict, as in the reference ({@code acc > 0.9}, METHOD.md §8).
 *
 * @param metric a metric name a plugin or the trainer produces
 * @param above holds if the metric's final value is greater than this
 * @param below holds if the metric's final value is less than this
 */
public record Criterion(String metric, Double above, Double below) {

    /** Checks that exactly one finite bound is given. */
    public Criterion {
        if (metric == null || metric.isBlank()) {
            throw new IllegalArgumentException("metric is required (a metric name, e.g. accuracy)");
        }
        if ((above == null) == (below == null)) {
            throw new IllegalArgumentException("give exactly one of above, below for metric " + metric);
        }
        Double bound = above != null ? above : below;
        if (!Double.isFinite(bound)) {
            throw new IllegalArgumentException((above != null ? "above" : "below") + " must be finite, found " + bound);
        }
    }

    /** Whether the metric's value in {@code finals} satisfies the bound; a missing or NaN value does not. */
    public boolean test(Map<String, Double> finals) {
        Double v = finals.get(metric);
        if (v == null || Double.isNaN(v)) {
            return false;
        }
        return above != null ? v > above : v < below;
    }

    /** {@code accuracy > 0.9}. */
    @Override
    public String toString() {
        return metric + (above != null ? " > " + above : " < " + below);
    }
}
