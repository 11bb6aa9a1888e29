package org.mio.core.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

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
 * @param successAccuracy a trial succeeds if its final accuracy exceeds this; default 0.9
 * @param differentiationQStr a successful trial is differentiated if its final Q_str exceeds this; default 0.1
 * @param bootstrapResamples resamples of the between-condition intervals; default 10000
 */
public record SweepConfig(String name, String experiment, List<Long> seeds, Map<String, Map<String, JsonNode>> conditions,
        Integer threadsPerTrial, Integer parallelTrials, Double successAccuracy, Double differentiationQStr,
        Integer bootstrapResamples) {

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
        successAccuracy = successAccuracy == null ? 0.9 : successAccuracy;
        differentiationQStr = differentiationQStr == null ? 0.1 : differentiationQStr;
        bootstrapResamples = bootstrapResamples == null ? 10_000 : bootstrapResamples;
        if (bootstrapResamples < 100) {
            throw new IllegalArgumentException("bootstrapResamples must be ≥ 100, found " + bootstrapResamples);
        }
    }
}
