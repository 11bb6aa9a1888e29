package org.mio.core.train;

import java.util.Map;

/**
 * The one line per epoch a run prints: {@code epoch  37/400  loss 0.4123  accuracy 0.812  MI
 * 0.532→0.498  1.21 s/epoch  ETA 7m13s}. The score shown is the first metric the task describes
 * (its headline); the full row is in {@code metrics.jsonl}.
 */
public final class ProgressLine {
    private ProgressLine() {}

    /**
     * @param row the epoch's metrics row
     * @param epochs the run's epochs
     * @param etaSeconds expected time to the end
     * @param headline the task's headline metric, or {@code null}
     */
    static String format(Map<String, Object> row, int epochs, double etaSeconds, String headline) {
        StringBuilder sb = new StringBuilder();
        int width = Integer.toString(epochs).length();
        sb.append(String.format("epoch %" + width + "d/%d", (Integer) row.get(TrainerMetrics.EPOCH), epochs));
        sb.append(String.format("  loss %.4f", (Double) row.get(TrainerMetrics.TASK_LOSS)));
        if (headline != null && row.get(headline) instanceof Double v) {
            sb.append(String.format("  %s %.3f", headline, v));
        }
        sb.append(String.format(
                "  MI %.3f→%.3f",
                (Double) row.get(TrainerMetrics.MI_BEFORE), (Double) row.get(TrainerMetrics.MI_AFTER)));
        sb.append(String.format(
                "  %.2f s/epoch  ETA %s", (Double) row.get(TrainerMetrics.SECONDS), duration(etaSeconds)));
        return sb.toString();
    }

    /** {@code 42s}, {@code 7m05s}, {@code 2h13m}: for progress lines. */
    public static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + String.format("%02d", s % 60) + "s";
        }
        return (s / 3600) + "h" + String.format("%02d", (s % 3600) / 60) + "m";
    }
}
