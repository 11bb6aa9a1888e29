package org.mio.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.mio.api.plugin.Rng;

/** Hand-checked values. */
class StatisticsTest {

    @Test
    void onsetIsTheFirstEpochAtHalfTheRiseFromEpochZero() {
        int[] e = {0, 25, 50, 75, 100};
        assertEquals(50, Statistics.onset50(e, new double[] {0, 0.1, 0.3, 0.5, 0.6}));
        assertEquals(25, Statistics.onset50(e, new double[] {0, 0.9, 0.2, 0.3, 0.4})); // non-monotone: first crossing
        assertEquals(100, Statistics.onset50(e, new double[] {0, 0, 0, 0, 0.2}));
        assertTrue(Double.isNaN(Statistics.onset50(e, new double[] {0, 0.1, 0.2, 0.1, -0.05})));
        // starts high: half of the rise from 0.4 to 0.6 is 0.5, reached at 75 (from 0 the rule said 0)
        assertEquals(75, Statistics.onset50(e, new double[] {0.4, 0.42, 0.45, 0.5, 0.6}));
        // negative start, positive end: half-way between -0.2 and 0.2 is 0.0
        assertEquals(50, Statistics.onset50(e, new double[] {-0.2, -0.1, 0.0, 0.1, 0.2}));
        // falls or stays: no onset
        assertTrue(Double.isNaN(Statistics.onset50(e, new double[] {0.6, 0.5, 0.4, 0.3, 0.2})));
        assertTrue(Double.isNaN(Statistics.onset50(e, new double[] {0.3, 0.3, 0.3, 0.3, 0.3})));
    }

    @Test
    void exactSignTest() {
        // 8 of 10 functional-first: P(X ≤ 2) = (1 + 10 + 45)/1024, two-sided 0.109375
        double[] a = {1, 1, 1, 1, 1, 1, 1, 1, 5, 5};
        double[] b = {2, 2, 2, 2, 2, 2, 2, 2, 4, 4};
        Statistics.SignTest t = Statistics.signTest(a, b);
        assertEquals(8, t.positive());
        assertEquals(2, t.negative());
        assertEquals(112.0 / 1024, t.pValue(), 1e-15);
        // 5 of 5: 2/32; ties and undefined onsets are left out
        Statistics.SignTest s =
                Statistics.signTest(new double[] {1, 1, 1, 1, 1, 3, Double.NaN}, new double[] {2, 2, 2, 2, 2, 3, 1});
        assertEquals(2, s.ties());
        assertEquals(0.0625, s.pValue(), 1e-15);
        assertEquals(
                1.0,
                Statistics.signTest(new double[] {1, 2}, new double[] {2, 1}).pValue(),
                1e-15);
    }

    @Test
    void bootstrapIntervalOfTheMeanDifference() {
        Statistics.Interval c = Statistics.bootstrapMeanDifference(
                new double[] {1, 1, 1}, new double[] {0, 0, 0}, 500, 0.95, Rng.of(1));
        assertEquals(1.0, c.estimate(), 0);
        assertEquals(1.0, c.low(), 0);
        assertEquals(1.0, c.high(), 0);
        // two-point sample {0, 1} vs constant 0: resampled means are k/2 with P = 1/4, 1/2, 1/4,
        // so the 95 % interval is [0, 1] and the estimate 0.5
        Statistics.Interval d =
                Statistics.bootstrapMeanDifference(new double[] {0, 1}, new double[] {0, 0}, 4000, 0.95, Rng.of(2));
        assertEquals(0.5, d.estimate(), 0);
        assertEquals(0.0, d.low(), 0);
        assertEquals(1.0, d.high(), 0);
        assertEquals(
                Statistics.bootstrapMeanDifference(new double[] {3, 1, 2}, new double[] {0, 1}, 300, 0.9, Rng.of(9)),
                Statistics.bootstrapMeanDifference(new double[] {3, 1, 2}, new double[] {0, 1}, 300, 0.9, Rng.of(9)));
    }

    @Test
    void summaries() {
        assertEquals(2.0, Statistics.mean(new double[] {1, 3, Double.NaN}), 0);
        assertEquals(Math.sqrt(2), Statistics.sd(new double[] {1, 3}), 1e-15);
        assertEquals(2.5, Statistics.median(new double[] {4, 1, 2, 3}), 0);
        assertEquals(1.5, Statistics.quantile(new double[] {1, 2}, 0.5), 0);
    }
}
