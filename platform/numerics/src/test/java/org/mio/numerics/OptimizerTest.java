package org.mio.numerics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Update rules against steps computed by hand from the Keras/TensorFlow formulas. */
class OptimizerTest {

    private static Map<String, INDArray> one(String name, double... values) {
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put(name, Nd4j.createFromArray(values));
        return m;
    }

    @Test
    void rmspropTwoStepsByHand() {
        Optimizer opt = new Optimizer(OptimizerConfig.rmsprop(0.1, null));
        Map<String, INDArray> p = one("w", 1.0, -2.0);
        opt.step(p, one("w", 0.5, -4.0));
        // v = 0.1*g² = (0.025, 1.6); θ -= 0.1*g/(√v+1e-7)
        double w0 = 1.0 - 0.1 * 0.5 / (Math.sqrt(0.025) + 1e-7);
        double w1 = -2.0 + 0.1 * 4.0 / (Math.sqrt(1.6) + 1e-7);
        assertEquals(w0, p.get("w").getDouble(0), 1e-12);
        assertEquals(w1, p.get("w").getDouble(1), 1e-12);
        opt.step(p, one("w", 1.0, 0.0));
        double v0 = 0.9 * 0.025 + 0.1 * 1.0;
        assertEquals(w0 - 0.1 * 1.0 / (Math.sqrt(v0) + 1e-7), p.get("w").getDouble(0), 1e-12);
        assertEquals(w1, p.get("w").getDouble(1), 1e-12);
    }

    @Test
    void rmspropEpsilonOutsideOrInsideTheSquareRootByHand() {
        // a large ε makes the two forms differ clearly: TF ≤ 2.10 divides by √v + ε, Keras ≥ 2.11 by √(v + ε)
        for (String placement : new String[] {"outside", "inside"}) {
            Optimizer opt =
                    new Optimizer(new OptimizerConfig("rmsprop", 0.1, 0.9, null, null, 0.01, null, null, placement));
            Map<String, INDArray> p = one("w", 1.0, -2.0);
            opt.step(p, one("w", 0.5, -4.0));
            opt.step(p, one("w", 1.0, 0.0));
            double va0 = 0.1 * 0.25;
            double va1 = 0.1 * 16.0;
            double vb0 = 0.9 * va0 + 0.1 * 1.0;
            double w0;
            double w1;
            if (placement.equals("outside")) {
                w0 = 1.0 - 0.1 * 0.5 / (Math.sqrt(va0) + 0.01) - 0.1 * 1.0 / (Math.sqrt(vb0) + 0.01);
                w1 = -2.0 + 0.1 * 4.0 / (Math.sqrt(va1) + 0.01);
            } else {
                w0 = 1.0 - 0.1 * 0.5 / Math.sqrt(va0 + 0.01) - 0.1 * 1.0 / Math.sqrt(vb0 + 0.01);
                w1 = -2.0 + 0.1 * 4.0 / Math.sqrt(va1 + 0.01);
            }
            assertEquals(w0, p.get("w").getDouble(0), 1e-12, placement);
            assertEquals(w1, p.get("w").getDouble(1), 1e-12, placement);
        }
        // the two forms differ by more than round-off at this ε
        assertTrue(Math.abs(0.5 / (Math.sqrt(0.025) + 0.01) - 0.5 / Math.sqrt(0.035)) > 1e-3);
        assertEquals("outside", OptimizerConfig.rmsprop(0.1, null).epsilonPlacement());
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> new OptimizerConfig("rmsprop", 0.1, null, null, null, null, null, null, "under"));
        assertEquals("epsilonPlacement must be one of outside, inside, found under", e.getMessage());
    }

    @Test
    void adamTwoStepsByHand() {
        Optimizer opt = new Optimizer(OptimizerConfig.adam(0.01, null));
        Map<String, INDArray> p = one("w", 0.3);
        opt.step(p, one("w", 2.0));
        // t=1: m=0.2, v=0.004, lr_t = 0.01*√(0.001)/0.1
        double lr1 = 0.01 * Math.sqrt(1 - 0.999) / (1 - 0.9);
        double w = 0.3 - lr1 * 0.2 / (Math.sqrt(0.004) + 1e-7);
        assertEquals(w, p.get("w").getDouble(0), 1e-12);
        opt.step(p, one("w", -1.0));
        double m = 0.9 * 0.2 - 0.1;
        double v = 0.999 * 0.004 + 0.001;
        double lr2 = 0.01 * Math.sqrt(1 - 0.999 * 0.999) / (1 - 0.81);
        assertEquals(w - lr2 * m / (Math.sqrt(v) + 1e-7), p.get("w").getDouble(0), 1e-12);
    }

    @Test
    void clipnormIsPerVariableNotGlobal() {
        Optimizer opt = new Optimizer(OptimizerConfig.rmsprop(0.1, 4.0));
        INDArray big = Nd4j.createFromArray(30.0, 40.0); // norm 50 → scaled to norm 4: (2.4, 3.2)
        INDArray small = Nd4j.createFromArray(1.0, 1.0); // norm √2 < 4: untouched
        opt.clip(Vec.of(big));
        opt.clip(Vec.of(small));
        assertEquals(2.4, big.getDouble(0), 1e-12);
        assertEquals(3.2, big.getDouble(1), 1e-12);
        assertEquals(1.0, small.getDouble(0), 0);
    }

    @Test
    void clipvalueIsElementwise() {
        Optimizer opt = new Optimizer(OptimizerConfig.adam(0.01, 1.0));
        INDArray g = Nd4j.createFromArray(-3.0, 0.5, 7.0);
        opt.clip(Vec.of(g));
        assertEquals(-1.0, g.getDouble(0), 0);
        assertEquals(0.5, g.getDouble(1), 0);
        assertEquals(1.0, g.getDouble(2), 0);
    }

    @Test
    void float32ParametersUpdateInPlace() {
        Optimizer opt = new Optimizer(OptimizerConfig.rmsprop(0.002, 4.0));
        Map<String, INDArray> p = new LinkedHashMap<>();
        p.put("w", Nd4j.ones(DataType.FLOAT, 2, 3));
        Map<String, INDArray> g = new LinkedHashMap<>();
        g.put("w", Nd4j.ones(DataType.FLOAT, 2, 3));
        opt.step(p, g);
        // first RMSprop step moves every weight by lr/√(1−ρ) = 0.002/√0.1
        assertEquals(1 - 0.002 / Math.sqrt(0.1), p.get("w").getDouble(1, 2), 1e-6);
    }

    @Test
    void stateRoundTripContinuesExactly() {
        Optimizer a = new Optimizer(OptimizerConfig.adam(0.01, null));
        Map<String, INDArray> pa = one("w", 0.3, 0.1);
        a.step(pa, one("w", 2.0, 1.0));
        Optimizer b = new Optimizer(OptimizerConfig.adam(0.01, null));
        b.restoreState(a.state());
        Map<String, INDArray> pb =
                one("w", pa.get("w").getDouble(0), pa.get("w").getDouble(1));
        a.step(pa, one("w", -1.0, 0.5));
        b.step(pb, one("w", -1.0, 0.5));
        assertEquals(pa.get("w"), pb.get("w"));
        assertEquals(2, b.iterations());
    }

    @Test
    void badConfigNamesFieldAndValue() {
        var e = assertThrows(IllegalArgumentException.class, () -> OptimizerConfig.rmsprop(-0.01, null));
        assertEquals("learningRate must be in (0, 1], found -0.01", e.getMessage());
        var t = assertThrows(
                IllegalArgumentException.class,
                () -> new OptimizerConfig("sgd", 0.1, null, null, null, null, null, null));
        assertEquals("type must be one of rmsprop, adam, found sgd", t.getMessage());
    }

    @Test
    void missingGradientIsNamed() {
        Optimizer opt = new Optimizer(OptimizerConfig.adam(0.01, null));
        var e = assertThrows(IllegalArgumentException.class, () -> opt.step(one("w", 1.0), one("v", 1.0)));
        assertEquals("no gradient for parameter w", e.getMessage());
    }
}
