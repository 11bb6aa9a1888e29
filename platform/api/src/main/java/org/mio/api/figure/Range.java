package org.mio.api.figure;

/**
 * An axis range.
 *
 * @param lower lower bound
 * @param upper upper bound, above {@code lower}
 */
public record Range(double lower, double upper) {

    /** Checks the order. */
    public Range {
        if (!(upper > lower)) {
            throw new IllegalArgumentException("range upper bound " + upper + " must be above " + lower);
        }
    }
}
