package org.mio.plugins.gaussian;

import java.util.Map;
import org.mio.api.annotations.EstimatorKind;
import org.mio.api.estimator.Estimator;
import org.mio.api.estimator.MIEstimator;
import org.mio.api.estimator.Sampling;
import org.mio.api.estimator.ValueAndGradient;
import org.mio.api.plugin.Footprint;
import org.mio.api.plugin.PluginContext;
import org.mio.api.plugin.PluginParams;
import org.mio.api.plugin.Rng;
import org.mio.numerics.Blas;
import org.mio.numerics.Numerics;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The mutual information of the Gaussian that fits X and Y jointly, in closed form and with its
 * exact gradient, as a training-free baseline for MINE:
 *
 * <pre>
 *   Î = ½ (log det Σ_X + log det Σ_Y − log det Σ),   Σ = Z̄ᵀZ̄/(S − 1) + ρI,  Z = [X Y]
 *   ∂Î/∂Z = (1/(S − 1)) · ([X̄ Σ_X⁻¹ | Ȳ Σ_Y⁻¹] − Z̄ Σ⁻¹)
 * </pre>
 *
 * with Z̄ the centred samples and ρ the {@code ridge} that keeps Σ positive definite when units
 * are constant or collinear. It equals the true MI when the pair is Gaussian and is a lower
 * bound on it otherwise (MI of the Gaussian with the same covariance); it sees linear
 * dependence only. Nothing is trained: {@link Estimator#trainStep} returns the estimate. Rows
 * and noise follow MINE's options (a subset of {@code rows} drawn first, then noise σ on both X
 * and Y). The S×d products are GEMMs; the d×d factorizations are Commons Math's Cholesky.
 */
@Component
@EstimatorKind("gaussian")
public final class GaussianEstimator implements MIEstimator {

    /**
     * @param noise σ of the Gaussian noise added to X and Y when the call asks for noise (default 0)
     * @param rows rows used per call, drawn without replacement; {@code null}: all
     * @param ridge added to the diagonal of every covariance (default 1e-6)
     */
    public record Params(Double noise, Integer rows, Double ridge) {
        /** Applies defaults and checks. */
        public Params {
            noise = noise == null ? 0.0 : noise;
            ridge = ridge == null ? 1e-6 : ridge;
            if (!(noise >= 0) || !Double.isFinite(noise)) {
                throw new IllegalArgumentException("noise must be a finite number ≥ 0, found " + noise);
            }
            if (!(ridge >= 0) || !Double.isFinite(ridge)) {
                throw new IllegalArgumentException("ridge must be a finite number ≥ 0, found " + ridge);
            }
            if (rows != null && rows < 3) {
                throw new IllegalArgumentException("rows must be ≥ 3 (or null for all), found " + rows);
            }
        }
    }

    /** @param numerics ND4J must be ready before estimators are made */
    @Activate
    public GaussianEstimator(@Reference Numerics numerics) {
        // the reference only orders activation after ND4J's initialization
    }

    @Override
    public Estimator create(PluginParams params, PluginContext context, int dimX, int dimY, Rng init) {
        return new GaussianMi(params.as(Params.class), context.dataType(), dimX, dimY);
    }

    /** The centred rows in double, the covariances and their inverses. */
    @Override
    public Footprint footprint(PluginParams params, PluginContext context, int dimX, int dimY, long rows) {
        Params p = params.as(Params.class);
        long used = p.rows() == null ? rows : Math.min(rows, p.rows());
        long d = (long) dimX + dimY;
        String field = p.rows() == null ? null : "rows";
        return Footprint.of(
                Footprint.nd4j(
                        "centred samples and their product with Σ⁻¹", field, p.rows(), DataType.DOUBLE, 3, used, d),
                Footprint.nd4j("gradients with respect to X and Y", field, p.rows(), context.dataType(), 1, used, d),
                Footprint.heap("covariances and their factors", null, null, 8, 6, d, d));
    }

    /** One run's estimator: stateless. */
    static final class GaussianMi implements Estimator {
        private final Params p;
        private final DataType type;
        private final int dx;
        private final int dy;

        GaussianMi(Params p, DataType type, int dx, int dy) {
            this.p = p;
            this.type = type;
            this.dx = dx;
            this.dy = dy;
        }

        @Override
        public double estimate(INDArray x, INDArray y, Sampling sampling) {
            return compute(x, y, sampling, false).value();
        }

        @Override
        public double trainStep(INDArray x, INDArray y, Sampling sampling) {
            return estimate(x, y, sampling); // nothing to train
        }

        @Override
        public ValueAndGradient valueAndGradient(INDArray x, INDArray y, Sampling sampling) {
            return compute(x, y, sampling, true);
        }

        @Override
        public int rowsUsed(int rows) {
            return p.rows() == null ? rows : Math.min(rows, p.rows());
        }

        @Override
        public double flops(long rows, Call call) {
            double n = rowsUsed((int) Math.min(rows, Integer.MAX_VALUE));
            double d = dx + dy;
            return call == Call.VALUE_AND_GRADIENT ? 4 * n * d * d : 2 * n * d * d;
        }

        @Override
        public Map<String, INDArray> parameters() {
            return Map.of();
        }

        @Override
        public Map<String, INDArray> state() {
            return Map.of();
        }

        @Override
        public void restoreState(Map<String, INDArray> state) {
            if (!state.isEmpty()) {
                throw new IllegalArgumentException(
                        "the gaussian estimator has no state, found entries " + state.keySet());
            }
        }

        private ValueAndGradient compute(INDArray x, INDArray y, Sampling s, boolean gradient) {
            long total = x.size(0);
            if (x.rank() != 2 || y.rank() != 2 || y.size(0) != total || x.size(1) != dx || y.size(1) != dy) {
                throw new IllegalArgumentException("X must be [S, " + dx + "] and Y [S, " + dy + "], found "
                        + java.util.Arrays.toString(x.shape()) + " and " + java.util.Arrays.toString(y.shape()));
            }
            Rng rng = s.rng();
            int[] rows = s.rows() != null
                    ? s.rows()
                    : p.rows() != null && p.rows() < total
                            ? java.util.Arrays.copyOf(rng.permutation((int) total), p.rows())
                            : null;
            int n = rows == null ? (int) total : rows.length;
            if (n < 3) {
                throw new IllegalArgumentException("the gaussian estimator needs at least 3 rows, found " + n);
            }
            int d = dx + dy;
            // Z = [X Y] of the rows used, with noise, centred, in double
            // ND4J converts to double natively; data().asDouble() of a float buffer would go element by element
            double[] xs = x.castTo(DataType.DOUBLE).dup('c').data().asDouble();
            double[] ys = y.castTo(DataType.DOUBLE).dup('c').data().asDouble();
            double sigma = s.noise() ? p.noise() : 0.0;
            double[] z = new double[n * d];
            double[] mean = new double[d];
            for (int i = 0; i < n; i++) {
                int r = rows == null ? i : rows[i];
                for (int j = 0; j < dx; j++) {
                    z[i * d + j] = xs[r * dx + j] + (sigma > 0 ? sigma * rng.nextGaussian() : 0);
                }
                for (int j = 0; j < dy; j++) {
                    z[i * d + dx + j] = ys[r * dy + j] + (sigma > 0 ? sigma * rng.nextGaussian() : 0);
                }
                for (int j = 0; j < d; j++) {
                    mean[j] += z[i * d + j];
                }
            }
            for (int j = 0; j < d; j++) {
                mean[j] /= n;
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    z[i * d + j] -= mean[j];
                }
            }
            INDArray zc = Nd4j.create(z, new long[] {n, d}, 'c');
            INDArray cov = Nd4j.create(DataType.DOUBLE, d, d);
            Blas.gemm(zc, true, zc, false, cov, 1.0 / (n - 1), 0);
            double[][] sigmaAll = cov.toDoubleMatrix();
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < i; j++) { // exactly symmetric, whatever the GEMM's rounding
                    double v = (sigmaAll[i][j] + sigmaAll[j][i]) / 2;
                    sigmaAll[i][j] = v;
                    sigmaAll[j][i] = v;
                }
                sigmaAll[i][i] += p.ridge();
            }
            Chol all = Chol.of(sigmaAll, "the joint covariance");
            Chol cx = Chol.of(block(sigmaAll, 0, dx), "the covariance of X");
            Chol cy = Chol.of(block(sigmaAll, dx, d), "the covariance of Y");
            double value = 0.5 * (cx.logDet() + cy.logDet() - all.logDet());
            if (!gradient) {
                return new ValueAndGradient(value, null, null);
            }
            // G = (1/(n−1)) ([X̄ Σx⁻¹ | Ȳ Σy⁻¹] − Z̄ Σ⁻¹), one GEMM with a block-diagonal minus full inverse
            double[][] k = new double[d][d];
            double[][] ix = cx.inverse();
            double[][] iy = cy.inverse();
            double[][] ia = all.inverse();
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    double blockInv = i < dx && j < dx ? ix[i][j] : i >= dx && j >= dx ? iy[i - dx][j - dx] : 0;
                    k[i][j] = (blockInv - ia[i][j]) / (n - 1);
                }
            }
            INDArray g = Nd4j.create(DataType.DOUBLE, n, d);
            Blas.gemm(zc, false, Nd4j.createFromArray(k), false, g, 1, 0);
            // unused rows get no gradient; plain copies, not one ND4J call per element
            double[] gs = g.data().asDouble();
            double[] gxs = new double[(int) total * dx];
            double[] gys = new double[(int) total * dy];
            for (int i = 0; i < n; i++) {
                int r = rows == null ? i : rows[i];
                System.arraycopy(gs, i * d, gxs, r * dx, dx);
                System.arraycopy(gs, i * d + dx, gys, r * dy, dy);
            }
            return new ValueAndGradient(
                    value,
                    Nd4j.create(gxs, new long[] {total, dx}, 'c').castTo(type),
                    Nd4j.create(gys, new long[] {total, dy}, 'c').castTo(type));
        }

        private static double[][] block(double[][] m, int from, int to) {
            double[][] b = new double[to - from][to - from];
            for (int i = from; i < to; i++) {
                System.arraycopy(m[i], from, b[i - from], 0, to - from);
            }
            return b;
        }
    }

    /** A Cholesky factorization, with what a singular covariance means in words. */
    private record Chol(org.apache.commons.math3.linear.CholeskyDecomposition c) {
        static Chol of(double[][] m, String what) {
            try {
                return new Chol(new org.apache.commons.math3.linear.CholeskyDecomposition(
                        new org.apache.commons.math3.linear.Array2DRowRealMatrix(m, false), 1e-12, 1e-300));
            } catch (org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException e) {
                throw new IllegalArgumentException(what + " is not positive definite (constant or collinear units);"
                        + " raise estimator.params.ridge");
            }
        }

        double logDet() {
            var l = c.getL();
            double s = 0;
            for (int i = 0; i < l.getRowDimension(); i++) {
                s += Math.log(l.getEntry(i, i));
            }
            return 2 * s;
        }

        double[][] inverse() {
            return c.getSolver().getInverse().getData();
        }
    }
}
