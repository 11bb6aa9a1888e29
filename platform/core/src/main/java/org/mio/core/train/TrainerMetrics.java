package org.mio.core.train;

import java.util.List;
import java.util.Set;
import org.mio.api.plugin.Metric;
import org.mio.api.plugin.Metric.Direction;

/**
 * The names of what the trainer itself writes into every {@code metrics.jsonl} row (the task's
 * scores and the analyzers' scalars are described by those plugins), and their descriptions.
 * Every class that reads or writes these columns names them through the constants here.
 */
public final class TrainerMetrics {
    /** The epoch (1-based; 0 is the state after estimator pre-training, in analysis rows only). */
    public static final String EPOCH = "epoch";
    /** Wall-clock seconds of the epoch; excluded from result comparisons. */
    public static final String SECONDS = "seconds";
    /** Task MSE over the loss window, mean over the epoch's model steps. */
    public static final String TASK_LOSS = "task_loss";
    /** The model's L2 term, mean over the epoch's model steps. */
    public static final String REG_LOSS = "reg_loss";
    /** The estimate logged by the last phase-A step of the epoch (the reference's logged MI). */
    public static final String MI_BEFORE = "mi_before";
    /** The estimate on the model step's own batch before its update, mean over the epoch's model steps. */
    public static final String MI_AFTER = "mi_after";
    /**
     * With {@code training.reevaluateEstimate}: the estimate after each model step's last
     * estimator update, re-evaluated on its batch with a new permutation, mean over the epoch.
     */
    public static final String MI_REEVALUATED = "mi_reevaluated";
    /** task_loss + reg_loss + λ·mi_after. */
    public static final String TOTAL_LOSS = "total_loss";

    /** Columns that are bookkeeping, not results. */
    public static final Set<String> BOOKKEEPING = Set.of(EPOCH, SECONDS);

    /** The trainer's own metrics, described. */
    public static final List<Metric> DESCRIBED = List.of(
            Metric.scalar(TASK_LOSS, "task MSE over the loss window", Direction.LOWER),
            Metric.scalar(REG_LOSS, "L2 regularization of the model's weights", Direction.LOWER),
            new Metric(
                    MI_BEFORE,
                    "MI estimate of the last estimator step of the epoch (nats)",
                    Direction.NONE,
                    false,
                    "MI"),
            new Metric(MI_AFTER, "MI estimate on the model steps' batches (nats)", Direction.NONE, false, "MI"),
            new Metric(
                    MI_REEVALUATED,
                    "MI estimate re-evaluated after each model step's last estimator update (nats)",
                    Direction.NONE,
                    false,
                    "MI"),
            Metric.scalar(TOTAL_LOSS, "task_loss + reg_loss + λ·mi_after", Direction.LOWER));

    /** Every column the trainer writes itself: the bookkeeping and the described metrics. */
    public static final Set<String> ALL = java.util.stream.Stream.concat(
                    BOOKKEEPING.stream(), DESCRIBED.stream().map(Metric::name))
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    private TrainerMetrics() {}
}
