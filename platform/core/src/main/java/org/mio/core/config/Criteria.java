package org.mio.core.config;

import java.util.List;
import java.util.Map;

/**
 * When a run counts as successful and as differentiated (METHOD.md §6a.7, §6b, §8). A run is
 * successful if it completed and every success criterion holds for its final metrics;
 * differentiated if it is successful and every differentiation criterion holds. Working memory:
 * {@code success: [accuracy > 0.9]}, {@code differentiation: [Q_str > 0.1]}; separation:
 * {@code success: [r2_mean > 0.96]}.
 *
 * @param success all must hold; default none (success is then not judged)
 * @param differentiation all must hold, on top of success; default none (not judged)
 */
public record Criteria(List<Criterion> success, List<Criterion> differentiation) {

    /** No criteria. */
    public static final Criteria NONE = new Criteria(null, null);

    /** Copies the lists. */
    public Criteria {
        success = success == null ? List.of() : List.copyOf(success);
        differentiation = differentiation == null ? List.of() : List.copyOf(differentiation);
    }

    /** How one run is judged: {@code null} where there is no criterion to judge by. */
    public record Verdict(Boolean successful, Boolean differentiated) {}

    /**
     * Judges a run.
     *
     * @param completed whether the run completed (a failed or diverged run succeeds at nothing)
     * @param finals its final metrics and analyses
     */
    public Verdict judge(boolean completed, Map<String, Double> finals) {
        Boolean ok = success.isEmpty() ? null : completed && success.stream().allMatch(c -> c.test(finals));
        Boolean diff = differentiation.isEmpty()
                ? null
                : completed && ok != Boolean.FALSE && differentiation.stream().allMatch(c -> c.test(finals));
        return new Verdict(ok, diff);
    }

    /** Every metric the criteria name. */
    public List<String> metrics() {
        return java.util.stream.Stream.concat(success.stream(), differentiation.stream())
                .map(Criterion::metric)
                .distinct()
                .toList();
    }
}
