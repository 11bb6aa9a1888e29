package org.mio.core.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.mio.core.config.Criteria;

/**
 * A sweep: one experiment × seeds × named conditions (METHOD.md §6a.7).
 *
 * <pre>
 * {"name": "wm-quick-sweep", "experiment": "wm-quick", "seeds": [1001, 1002],
 *  "conditions": {"lambda": {"training.lambdaMi": 0.1}, "control": {"training.lambdaMi": 0.0}},
 *  "threadsPerTrial": 1}
 * </pre>
 *
 * @param name sweep name (folder name by default)
 * @param experiment a preset name or an experiment file (relative to the sweep file)
 * @param seeds the seeds, each run under every condition
 * @param conditions condition name → {@code path: value} overrides (JSON values)
 * @param threadsPerTrial BLAS/loop threads per trial; default 1
 * @param parallelTrials trials at once; default cores / threadsPerTrial (at least 1)
 * @param criteria when a trial is successful and differentiated; default: the experiment's own
 *     {@code criteria}
 * @param onsets pairs of curve metrics whose t₅₀ onsets are compared trial by trial, e.g.
 *     {@code [{"first": "Q_corr", "then": "Q_str"}]} for "functional precedes structural"; default none
 * @param bootstrapResamples resamples of the between-condition intervals; default 10000
 */
public record SweepConfig(
        String name,
        String experiment,
        List<Long> seeds,
        Map<String, Map<String, JsonNode>> conditions,
        Integer threadsPerTrial,
        Integer parallelTrials,
        Criteria criteria,
        List<Onset> onsets,
        Integer bootstrapResamples) {

    /**
     * A comparison of onsets: does {@code first} rise before {@code then}?
     *
     * @param first the metric expected to rise first, e.g. {@code Q_corr}
     * @param then the metric expected to follow, e.g. {@code Q_str}
     */
    public record Onset(String first, String then) {
        /** Both are required and differ. */
        public Onset {
            if (first == null || then == null || first.equals(then)) {
                throw new IllegalArgumentException(
                        "an onset pair needs two different metrics first and then, found " + first + ", " + then);
            }
        }

        /** {@code Q_corr_vs_Q_str}. */
        public String key() {
            return first + "_vs_" + then;
        }
    }

    /** Defaults and checks. */
    public SweepConfig {
        if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("name must be letters, digits, '.', '_' or '-', found " + name);
        }
        if (experiment == null || experiment.isBlank()) {
            throw new IllegalArgumentException("experiment is required (a preset or an experiment file)");
        }
        if (seeds == null || seeds.isEmpty()) {
            throw new IllegalArgumentException("seeds must list at least one seed");
        }
        seeds = List.copyOf(seeds);
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (long s : seeds) {
            if (!seen.add(s)) {
                throw new IllegalArgumentException("seeds: " + s + " appears more than once; every (condition, seed) "
                        + "trial has one run folder");
            }
        }
        if (conditions == null || conditions.isEmpty()) {
            conditions = Map.of("default", Map.of());
        }
        for (String c : conditions.keySet()) {
            if (!c.matches("[A-Za-z0-9_-]+")) {
                throw new IllegalArgumentException("condition names must be letters, digits, '_' or '-', found " + c);
            }
        }
        threadsPerTrial = threadsPerTrial == null ? 1 : threadsPerTrial;
        if (threadsPerTrial < 1) {
            throw new IllegalArgumentException("threadsPerTrial must be ≥ 1, found " + threadsPerTrial);
        }
        int cores = Runtime.getRuntime().availableProcessors();
        parallelTrials = parallelTrials == null ? Math.max(1, cores / threadsPerTrial) : parallelTrials;
        if (parallelTrials < 1) {
            throw new IllegalArgumentException("parallelTrials must be ≥ 1, found " + parallelTrials);
        }
        onsets = onsets == null ? List.of() : List.copyOf(onsets);
        bootstrapResamples = bootstrapResamples == null ? 10_000 : bootstrapResamples;
        if (bootstrapResamples < 100) {
            throw new IllegalArgumentException("bootstrapResamples must be ≥ 100, found " + bootstrapResamples);
        }
    }
}
