package org.mio.plugins.wm;

/**
 * Parameters of the working-memory task (METHOD.md §3a); {@code null} means the reference value.
 *
 * @param bits memory bits n (default 2): inputs are ON_1, OFF_1, …, ON_n, OFF_n, outputs n
 * @param pulseWidth steps a pulse lasts (default 40; run_once.py:59)
 * @param onsetProbability per step and channel (default 1/500; run_once.py:59)
 * @param amplitude pulse height (default 1.0; tasks.py:312)
 * @param rampSlope target change per step toward ±1 (default 0.1; run_once.py:59)
 * @param transientSteps steps run without gradient before the learning segment (default 1000)
 * @param learningSteps steps of the learning segment (default 2000)
 */
public record WorkingMemoryParams(
        Integer bits,
        Integer pulseWidth,
        Double onsetProbability,
        Double amplitude,
        Double rampSlope,
        Integer transientSteps,
        Integer learningSteps) {

    /** Applies defaults and checks ranges. */
    public WorkingMemoryParams {
        bits = bits == null ? 2 : bits;
        pulseWidth = pulseWidth == null ? 40 : pulseWidth;
        onsetProbability = onsetProbability == null ? 1.0 / 500 : onsetProbability;
        amplitude = amplitude == null ? 1.0 : amplitude;
        rampSlope = rampSlope == null ? 0.1 : rampSlope;
        transientSteps = transientSteps == null ? 1000 : transientSteps;
        learningSteps = learningSteps == null ? 2000 : learningSteps;
        if (bits < 1 || bits > 64) {
            throw new IllegalArgumentException("bits must be in [1, 64], found " + bits);
        }
        if (pulseWidth < 1) {
            throw new IllegalArgumentException("pulseWidth must be ≥ 1, found " + pulseWidth);
        }
        if (!(onsetProbability >= 0 && onsetProbability <= 1)) {
            throw new IllegalArgumentException("onsetProbability must be in [0, 1], found " + onsetProbability);
        }
        if (!(rampSlope > 0 && rampSlope <= 2)) {
            throw new IllegalArgumentException("rampSlope must be in (0, 2], found " + rampSlope);
        }
        if (!Double.isFinite(amplitude)) {
            throw new IllegalArgumentException("amplitude must be a finite number, found " + amplitude);
        }
        if (transientSteps < 0) {
            throw new IllegalArgumentException("transientSteps must be ≥ 0, found " + transientSteps);
        }
        if (learningSteps < 1) {
            throw new IllegalArgumentException("learningSteps must be ≥ 1, found " + learningSteps);
        }
    }

    /** Total steps per sequence. */
    public int totalSteps() {
        return transientSteps + learningSteps;
    }
}
