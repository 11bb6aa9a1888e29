package org.mio.critic;

/**
 * What a critic's scores T(x, y) are turned into: a lower bound on I(X; Y) in nats. Two shapes
 * cover the estimators in the literature that mio ships:
 *
 * <ul>
 *   <li>{@link Partition}: Î = mean_i T(x_i, y_i) − F(Σ_i exp c(T(x_i, y_π(i)))), one marginal
 *       sample per joint sample (π a random permutation of the rows): Donsker–Varadhan (MINE),
 *       NWJ and SMILE. The concatenated critic evaluates these in one streaming pass without
 *       keeping its activations.
 *   <li>{@link InfoNce}: the rows are split into random batches of {@code batch} rows, every pair
 *       (x_i, y_j) of a batch is scored, and Î = mean_i [T(x_i, y_i) − log mean_j exp T(x_i, y_j)],
 *       which cannot exceed log(batch).
 * </ul>
 */
public sealed interface Objective {

    /** The name used in messages, e.g. {@code dv}. */
    String name();

    /**
     * A bound whose marginal term depends on the marginal scores only through Z = Σ_i exp c(T_i):
     * Î = mean_i T_joint,i − F(Z), with c a clip that is the identity inside an interval and flat
     * outside it (so dc/dT is 1 or 0). Implementations work with Z = exp(M)·S, M a maximum of the
     * clipped scores and S = Σ exp(c(T_i) − M), so nothing overflows.
     */
    non-sealed interface Partition extends Objective {

        /** c(T): the score as the partition term sees it. */
        double clip(double t);

        /** F(Z) for Z = exp(max)·sumExp over n marginal rows. */
        double partition(double max, double sumExp, long n);

        /**
         * F'(Z)·exp(shift) for Z = exp(max)·sumExp over n marginal rows, so that ∂F/∂T_i =
         * slope(m, …)·exp(c(T_i) − m) wherever c' = 1, for any shift m (a lane's running maximum).
         */
        double slope(double shift, double max, double sumExp, long n);

        /**
         * Whether phase A trains the critic along the Jensen–Shannon (f-GAN) bound, mean
         * −softplus(−T_joint) − mean softplus(T_marginal), instead of along this bound, whose value
         * is still what every call returns. SMILE does (Song and Ermon 2020, the reference code's
         * {@code js + stop_gradient(dv − js)}): its clipped partition term alone would let the
         * critic raise every joint score without limit. {@code false} by default.
         */
        default boolean trainsJensenShannon() {
            return false;
        }
    }

    /** Donsker–Varadhan: F(Z) = log(Z/n), as MINE (METHOD.md §4). */
    static Partition dv() {
        return new Dv();
    }

    /** Nguyen–Wainwright–Jordan: F(Z) = Z/(e·n), the f-divergence bound with T shifted by one. */
    static Partition nwj() {
        return new Nwj();
    }

    /**
     * SMILE (Song and Ermon 2020): Donsker–Varadhan with the partition term's scores clipped to
     * [−τ, τ], which trades a bias for a much smaller variance, and a critic trained along the
     * Jensen–Shannon bound ({@link Partition#trainsJensenShannon}).
     *
     * @param tau the clip, &gt; 0
     */
    static Partition smile(double tau) {
        if (!(tau > 0)) {
            throw new IllegalArgumentException("tau must be > 0, found " + tau);
        }
        return new Smile(tau);
    }

    /**
     * InfoNCE (van den Oord et al. 2018): the contrastive bound over random batches of
     * {@code batch} rows, at most log(batch).
     *
     * @param batch rows per batch, ≥ 2
     */
    static InfoNce infoNce(int batch) {
        if (batch < 2) {
            throw new IllegalArgumentException("batch must be ≥ 2, found " + batch);
        }
        return new InfoNce(batch);
    }

    /** log mean exp c(T) = max + log(sumExp/n): the partition term of DV and SMILE. */
    private static double logMeanExp(double max, double sumExp, long n) {
        return max + Math.log(sumExp / n);
    }

    /** ∂(log Σ exp c(T))/∂(Σ exp(c(T) − shift)) = exp(shift − max)/sumExp. */
    private static double softmaxSlope(double shift, double max, double sumExp) {
        return Math.exp(shift - max) / sumExp;
    }

    /** See {@link #dv()}. */
    record Dv() implements Partition {
        @Override
        public String name() {
            return "dv";
        }

        @Override
        public double clip(double t) {
            return t;
        }

        @Override
        public double partition(double max, double sumExp, long n) {
            return logMeanExp(max, sumExp, n);
        }

        @Override
        public double slope(double shift, double max, double sumExp, long n) {
            return softmaxSlope(shift, max, sumExp);
        }
    }

    /** See {@link #nwj()}. */
    record Nwj() implements Partition {
        @Override
        public String name() {
            return "nwj";
        }

        @Override
        public double clip(double t) {
            return t;
        }

        @Override
        public double partition(double max, double sumExp, long n) {
            return Math.exp(max - 1 + Math.log(sumExp / n));
        }

        @Override
        public double slope(double shift, double max, double sumExp, long n) {
            return Math.exp(shift - 1) / n;
        }
    }

    /**
     * See {@link #smile(double)}.
     *
     * @param tau the clip
     */
    record Smile(double tau) implements Partition {
        @Override
        public String name() {
            return "smile";
        }

        @Override
        public double clip(double t) {
            return Math.max(-tau, Math.min(tau, t));
        }

        @Override
        public double partition(double max, double sumExp, long n) {
            return logMeanExp(max, sumExp, n);
        }

        @Override
        public double slope(double shift, double max, double sumExp, long n) {
            return softmaxSlope(shift, max, sumExp);
        }

        @Override
        public boolean trainsJensenShannon() {
            return true;
        }
    }

    /**
     * See {@link #infoNce(int)}.
     *
     * @param batch rows per batch
     */
    record InfoNce(int batch) implements Objective {
        @Override
        public String name() {
            return "infonce";
        }
    }
}
