package org.mio.critic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.mio.api.estimator.Estimator;
import org.mio.api.estimator.MIEstimator;
import org.mio.api.estimator.Sampling;
import org.mio.api.estimator.ValueAndGradient;
import org.mio.api.plugin.PluginParams;
import org.mio.api.plugin.Rng;
import org.mio.testkit.GradientChecker;
import org.mio.testkit.MIEstimatorContract;
import org.mio.testkit.TestParams;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class ConcatCriticTest extends MIEstimatorContract {

    /** MINE: the concatenated critic under the Donsker–Varadhan bound. */
    static MIEstimator service(Objective objective) {
        return (params, context, dimX, dimY, init) ->
                Critics.create("mine", params.as(CriticParams.class), objective, context, dimX, dimY, init);
    }

    @Override
    protected MIEstimator estimator() {
        return service(Objective.dv());
    }

    @Override
    protected PluginParams smallParams() {
        // small blocks so that several blocks (and a short last one) are exercised
        return TestParams.of(
                "{\"hidden\": 7, \"blockRows\": 24, \"optimizer\": {\"type\": \"adam\", \"learningRate\": 0.01}}");
    }

    private static Estimator create(String json, DataType type, Objective objective) {
        return service(objective).create(TestParams.of(json), TestParams.context(type), DX, DY, Rng.of(5));
    }

    /**
     * DV, NWJ and SMILE with a clip that cuts some marginal scores (their partition gradient is
     * then zero): the value and both gradients against central differences.
     */
    @Test
    void everyPartitionBoundHasExactGradients() {
        for (Objective objective : new Objective[] {Objective.dv(), Objective.nwj(), Objective.smile(0.02)}) {
            Estimator e = create("{\"hidden\": 6, \"blockRows\": 20}", DataType.DOUBLE, objective);
            e.parameters().get("w3").muli(3); // scores of a few tenths, so the clip at 0.02 bites
            // without noise, a row whose first layer is all zero has z₂ = b₂ = 0 exactly: a relu kink
            e.parameters().get("b2").addi(0.05);
            INDArray[] s = samples(DataType.DOUBLE, 9);
            int[] perm = Rng.of(3).permutation(ROWS);
            java.util.function.Supplier<Sampling> sampling = () -> new Sampling(Rng.of(12), perm, false);
            String what = objective.name() + ": ";
            try {
                var grads = e.parameterGradients(s[0], s[1], sampling.get());
                // SMILE's critic ascends the Jensen–Shannon bound (its value stays the clipped DV)
                java.util.function.DoubleSupplier trained = objective.equals(Objective.smile(0.02))
                        ? () -> jensenShannon(e.parameters(), s[0], s[1], perm)
                        : () -> e.estimate(s[0], s[1], sampling.get());
                GradientChecker.float64().check(e.parameters(), grads, trained::getAsDouble, Rng.of(4));
                ValueAndGradient vg = e.valueAndGradient(s[0], s[1], sampling.get());
                assertEquals(e.estimate(s[0], s[1], sampling.get()), vg.value(), 1e-12);
                new GradientChecker(1e-6, 1e-4, 1e-7, 40)
                        .check(
                                java.util.Map.of("x", s[0], "y", s[1]),
                                java.util.Map.of("x", vg.dx(), "y", vg.dy()),
                                () -> e.estimate(s[0], s[1], sampling.get()),
                                Rng.of(8));
            } catch (AssertionError err) {
                throw new AssertionError(what + err.getMessage(), err);
            }
        }
    }

    /**
     * The Jensen–Shannon bound mean −softplus(−T(x_i, y_i)) − mean softplus(T(x_i, y_π(i))) of the
     * concatenated critic, computed here from its parameters without noise.
     */
    static double jensenShannon(java.util.Map<String, INDArray> p, INDArray x, INDArray y, int[] perm) {
        INDArray yp = y.getRows(perm);
        INDArray joint = critic(p, x, y);
        INDArray marginal = critic(p, x, yp);
        double sum = 0;
        for (int i = 0; i < joint.length(); i++) {
            sum += -softplus(-joint.getDouble(i)) - softplus(marginal.getDouble(i));
        }
        return sum / joint.length();
    }

    private static INDArray critic(java.util.Map<String, INDArray> p, INDArray x, INDArray y) {
        INDArray z1 = x.mmul(p.get("Wx"))
                .addiRowVector(p.get("bx"))
                .addi(y.mmul(p.get("Wy")))
                .addiRowVector(p.get("by"));
        INDArray a1 = org.nd4j.linalg.ops.transforms.Transforms.relu(z1, true);
        INDArray a2 = org.nd4j.linalg.ops.transforms.Transforms.relu(
                a1.mmul(p.get("W2")).addiRowVector(p.get("b2")), true);
        INDArray t = a2.mmul(p.get("w3"));
        return p.containsKey("b3") ? t.addi(p.get("b3").getDouble(0)) : t;
    }

    private static double softplus(double v) {
        return Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
    }

    /**
     * The three bounds on the same scores, by hand: with T_joint and T_marginal read back from
     * the critic (NWJ's F(Z) = Z/(e·n); SMILE's clip on the partition term only; SMILE with a
     * clip above every score is DV).
     */
    @Test
    void boundsCombineTheSameScoresAsTheirFormulas() {
        INDArray[] s = samples(DataType.DOUBLE, 9);
        int[] perm = Rng.of(3).permutation(ROWS);
        String json = "{\"hidden\": 6, \"blockRows\": 20}";
        double dv = create(json, DataType.DOUBLE, Objective.dv())
                .estimate(s[0], s[1], new Sampling(Rng.of(1), perm, false));
        double nwj = create(json, DataType.DOUBLE, Objective.nwj())
                .estimate(s[0], s[1], new Sampling(Rng.of(1), perm, false));
        double wide = create(json, DataType.DOUBLE, Objective.smile(1e6))
                .estimate(s[0], s[1], new Sampling(Rng.of(1), perm, false));
        double tight = create(json, DataType.DOUBLE, Objective.smile(1e-9))
                .estimate(s[0], s[1], new Sampling(Rng.of(1), perm, false));
        assertEquals(dv, wide, 1e-12, "SMILE with a clip above every score is DV");
        // with every marginal score clipped to ≈ 0 the partition term is log mean exp 0 = 0: Î = mean T_joint
        double meanJoint = tight;
        // DV = mean T_joint − log mean exp T_marg; NWJ = mean T_joint − mean exp(T_marg − 1); both from the same scores
        double logMeanExp = meanJoint - dv;
        assertEquals(meanJoint - Math.exp(logMeanExp - 1), nwj, 1e-8, "NWJ from the scores of DV");
    }

    /** Gradients with respect to every parameter, by central differences, for every activation and noise mode. */
    @Test
    void parameterGradientsMatchCentralDifferences() {
        for (String json : new String[] {
            "{\"hidden\": 6, \"blockRows\": 20}",
            "{\"hidden\": 5, \"blockRows\": 64, \"activation\": \"leaky-relu\", \"outputBias\": false, \"noiseMode\": \"both\", \"noise\": 0.05}",
            "{\"hidden\": 6, \"rows\": 40, \"blockRows\": 16}",
            "{\"hidden\": 5, \"blockRows\": 16, \"activation\": \"elu\"}"
        }) {
            Estimator e = create(json, DataType.DOUBLE, Objective.dv());
            INDArray[] s = samples(DataType.DOUBLE, 9);
            int n = json.contains("rows\": 40") ? 40 : ROWS;
            int[] perm = Rng.of(3).permutation(n);
            java.util.function.Supplier<Sampling> sampling = () -> new Sampling(Rng.of(12), perm, true);
            // one optimizer step with a tiny rate would change θ; read the gradient through a copy instead
            var before = new java.util.LinkedHashMap<String, INDArray>();
            e.parameters().forEach((k, v) -> before.put(k, v.dup()));
            ConcatCritic net = (ConcatCritic) e;
            var grads = net.parameterGradients(s[0], s[1], sampling.get());
            try {
                GradientChecker.float64()
                        .check(e.parameters(), grads, () -> e.estimate(s[0], s[1], sampling.get()), Rng.of(4));
            } catch (AssertionError err) {
                throw new AssertionError(json + ": " + err.getMessage(), err);
            }
            e.parameters().forEach((k, v) -> assertEquals(before.get(k), v, k));
        }
    }

    /**
     * Several lanes (2 and 3 threads, so lanes get unequal block counts) with many blocks each: the
     * online softmax across blocks and lanes gives the value and gradients of one thread (to
     * rounding), and they still match central differences. w₃ is scaled up so that T spans tens of
     * nats and the running maximum jumps between blocks.
     */
    @Test
    void lanesGiveTheSameValueAndGradientsAsOneThread() {
        String json = "{\"hidden\": 6, \"blockRows\": 5}";
        INDArray[] s = samples(DataType.DOUBLE, 9);
        int[] perm = Rng.of(3).permutation(ROWS);
        java.util.function.Supplier<Sampling> sampling = () -> new Sampling(Rng.of(12), perm, true);
        ConcatCritic one = network(json, 1);
        one.parameters().get("w3").muli(20);
        var oneGrads = one.parameterGradients(s[0], s[1], sampling.get());
        ValueAndGradient oneVg = one.valueAndGradient(s[0], s[1], sampling.get());
        for (int threads : new int[] {2, 3}) {
            ConcatCritic lanes = network(json, threads);
            lanes.parameters().get("w3").muli(20);
            var grads = lanes.parameterGradients(s[0], s[1], sampling.get());
            ValueAndGradient vg = lanes.valueAndGradient(s[0], s[1], sampling.get());
            String what = threads + " threads: ";
            assertEquals(oneVg.value(), vg.value(), 1e-12, what + "value");
            oneGrads.forEach((name, g) -> assertTrue(g.equalsWithEps(grads.get(name), 1e-12), what + name));
            assertTrue(oneVg.dx().equalsWithEps(vg.dx(), 1e-12), what + "dX");
            assertTrue(oneVg.dy().equalsWithEps(vg.dy(), 1e-12), what + "dY");
            GradientChecker.float64()
                    .check(lanes.parameters(), grads, () -> lanes.estimate(s[0], s[1], sampling.get()), Rng.of(4));
            new GradientChecker(1e-6, 1e-4, 1e-7, 40)
                    .check(
                            java.util.Map.of("x", s[0], "y", s[1]),
                            java.util.Map.of("x", vg.dx(), "y", vg.dy()),
                            () -> lanes.estimate(s[0], s[1], sampling.get()),
                            Rng.of(8));
            // the lanes' sums start afresh on every call
            var again = lanes.parameterGradients(s[0], s[1], sampling.get());
            grads.forEach((name, g) -> assertEquals(g, again.get(name), what + name + " on a second call"));
        }
    }

    /** More lanes than blocks (2 used rows, 3 threads: lane 0 gets no block): still exact. */
    @Test
    void lanesWithoutBlocksAddNothing() {
        ConcatCritic e = network("{\"hidden\": 5, \"rows\": 2, \"blockRows\": 1}", 3);
        assertEquals(0, Blocks.of(2, 1, 3).first(1), "lane 0 has no block");
        // a row whose first layer is all zero has z₂ = b₂ = 0 exactly: a relu kink at the initial
        // zero bias, where central differences see half a one-sided slope
        e.parameters().get("b2").addi(0.05);
        INDArray[] s = samples(DataType.DOUBLE, 4);
        int[] perm = {1, 0};
        java.util.function.Supplier<Sampling> sampling = () -> new Sampling(Rng.of(21), perm, true);
        var grads = e.parameterGradients(s[0], s[1], sampling.get());
        GradientChecker.float64().check(e.parameters(), grads, () -> e.estimate(s[0], s[1], sampling.get()), Rng.of(4));
        ValueAndGradient vg = e.valueAndGradient(s[0], s[1], sampling.get());
        new GradientChecker(1e-6, 1e-4, 1e-7, 40)
                .check(
                        java.util.Map.of("x", s[0], "y", s[1]),
                        java.util.Map.of("x", vg.dx(), "y", vg.dy()),
                        () -> e.estimate(s[0], s[1], sampling.get()),
                        Rng.of(8));
    }

    /**
     * A fixed row subset (what {@code mio grad} writes and reads back) is the same computation as
     * the estimator on those rows alone, and the input gradient of the other rows is zero.
     */
    @Test
    void aFixedRowSubsetEqualsTheEstimatorOnThoseRows() {
        String json = "{\"hidden\": 6, \"rows\": 24, \"blockRows\": 16}";
        Estimator sub = create(json, DataType.DOUBLE, Objective.dv());
        Estimator whole = create(json, DataType.DOUBLE, Objective.dv());
        INDArray[] s = samples(DataType.DOUBLE, 9);
        assertEquals(24, sub.rowsUsed(ROWS));
        assertEquals(10, sub.rowsUsed(10));
        int[] rows = java.util.Arrays.copyOf(Rng.of(2).permutation(ROWS), 24);
        int[] perm = Rng.of(3).permutation(24);
        ValueAndGradient a = sub.valueAndGradient(s[0], s[1], new Sampling(Rng.of(1), perm, false, rows));
        ValueAndGradient b =
                whole.valueAndGradient(s[0].getRows(rows), s[1].getRows(rows), new Sampling(Rng.of(1), perm, false));
        assertEquals(b.value(), a.value(), 1e-12);
        boolean[] used = new boolean[ROWS];
        for (int k = 0; k < rows.length; k++) {
            used[rows[k]] = true;
            assertEquals(b.dx().getRow(k).toString(), a.dx().getRow(rows[k]).toString());
        }
        for (int r = 0; r < ROWS; r++) {
            if (!used[r]) {
                assertEquals(0.0, a.dx().getRow(r).norm2Number().doubleValue(), 0.0);
            }
        }
        var pa = sub.parameterGradients(s[0], s[1], new Sampling(Rng.of(1), perm, false, rows));
        var pb = whole.parameterGradients(s[0].getRows(rows), s[1].getRows(rows), new Sampling(Rng.of(1), perm, false));
        assertEquals(
                pb.get("W2").sumNumber().doubleValue(), pa.get("W2").sumNumber().doubleValue(), 1e-12);
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> sub.estimate(
                        s[0], s[1], new Sampling(Rng.of(1), perm, false, java.util.Arrays.copyOf(rows, 23))));
        assertEquals("mine: the row subset has 23 entries; this estimator uses 24 of the 64 rows", e.getMessage());
        int[] twice = rows.clone();
        twice[1] = twice[0];
        var d = assertThrows(
                IllegalArgumentException.class,
                () -> sub.estimate(s[0], s[1], new Sampling(Rng.of(1), perm, false, twice)));
        assertEquals("mine: the row subset must hold distinct rows in [0, 64), found " + twice[0], d.getMessage());
    }

    private static ConcatCritic network(String json, int threads) {
        return (ConcatCritic) service(Objective.dv())
                .create(TestParams.of(json), TestParams.context(DataType.DOUBLE, threads), DX, DY, Rng.of(5));
    }

    /** Blocks of near-equal size, none empty or over blockRows, a multiple of the lanes where the rows allow. */
    @Test
    void planSplitsRowsEvenlyAmongLanes() {
        Blocks paper = Blocks.of(40000, 512, 2);
        assertEquals(80, paper.count());
        assertEquals(500, paper.size());
        assertEquals(40, paper.first(1));
        for (int[] c :
                new int[][] {{40000, 512, 2}, {64, 5, 3}, {5, 2048, 4}, {7, 3, 2}, {2, 2048, 1}, {1001, 100, 3}}) {
            Blocks plan = Blocks.of(c[0], c[1], c[2]);
            String what = java.util.Arrays.toString(c) + " → " + plan;
            int covered = 0;
            for (int b = 0; b < plan.count(); b++) {
                assertEquals(covered, plan.start(b), what);
                assertTrue(plan.rows(b) >= 1 && plan.rows(b) <= c[1], what);
                assertEquals(
                        2 * plan.start(b) + (plan.rows(b) - 1), plan.jointRow(plan.start(b) + plan.rows(b) - 1), what);
                assertEquals(2 * plan.start(b) + plan.rows(b), plan.marginalRow(plan.start(b)), what);
                covered += plan.rows(b);
            }
            assertEquals(c[0], covered, what);
            assertEquals(0, plan.first(0), what);
            assertEquals(plan.count(), plan.first(c[2]), what);
        }
    }
}
