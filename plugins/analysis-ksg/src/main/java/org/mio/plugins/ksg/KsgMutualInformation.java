package org.mio.plugins.ksg;

import java.util.List;
import java.util.Map;
import org.apache.commons.math3.special.Gamma;
import org.mio.api.analysis.AnalysisResult;
import org.mio.api.analysis.Analyzer;
import org.mio.api.analysis.Snapshot;
import org.mio.api.annotations.AnalyzerKind;
import org.mio.api.model.UnitGroups;
import org.mio.api.plugin.Metric;
import org.mio.api.plugin.PluginParams;
import org.mio.api.plugin.Rng;
import org.mio.numerics.Threads;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.osgi.service.component.annotations.Component;

/**
 * The mutual information between the two unit groups measured at every snapshot by the
 * Kraskov–Stögbauer–Grassberger estimator (Phys. Rev. E 69, 066138, 2004; algorithm 1),
 * independently of the trained estimator, so that its estimate can be checked:
 *
 * <pre>
 *   I = ψ(k) + ψ(S) − ⟨ψ(n_x + 1) + ψ(n_y + 1)⟩
 * </pre>
 *
 * with ε_i the max-norm distance of row i to its k-th nearest neighbour in the joint space and
 * n_x, n_y the rows strictly closer than ε_i in X and in Y alone. Rows are the activity of the
 * snapshot's evaluation batch at every step from {@code fromStep}, G1 as X and G2 as Y.
 *
 * <p>Neighbours are found by exhaustive search (k-d trees do not help in 20 + 20 dimensions):
 * S²·(d_X + d_Y) operations on columns of the rows, so the distance loops vectorize, split over the
 * run's threads. {@code rows} (default 5 000) draws that many rows with a fixed {@code seed}, the
 * same at every snapshot: at 40 000 rows × 40 units the full estimate takes about 20 s on 2 cores,
 * at 5 000 rows under a second. {@code jitter} (default
 * 1e−10 of each unit's spread) breaks the ties of saturated or repeated values that the
 * estimator assumes away.
 */
@Component
@AnalyzerKind("mi-ksg")
public final class KsgMutualInformation implements Analyzer {

    /**
     * @param k neighbours (default 3)
     * @param rows rows drawn per snapshot (default 5000; null or 0: all)
     * @param fromStep first step of each sequence that counts (default 0)
     * @param seed the stream of the row draw and the jitter (default 0)
     * @param jitter uniform noise in ± jitter·(unit's spread) (default 1e-10)
     */
    public record Params(Integer k, Integer rows, Integer fromStep, Long seed, Double jitter) {
        /** Applies defaults and checks. */
        public Params {
            k = k == null ? 3 : k;
            rows = rows == null ? 5000 : rows;
            fromStep = fromStep == null ? 0 : fromStep;
            seed = seed == null ? 0L : seed;
            jitter = jitter == null ? 1e-10 : jitter;
            if (k < 1) {
                throw new IllegalArgumentException("k must be ≥ 1, found " + k);
            }
            if (rows < 0) {
                throw new IllegalArgumentException("rows must be ≥ 0 (0: all), found " + rows);
            }
            if (fromStep < 0) {
                throw new IllegalArgumentException("fromStep must be ≥ 0, found " + fromStep);
            }
            if (!(jitter >= 0) || !Double.isFinite(jitter)) {
                throw new IllegalArgumentException("jitter must be a finite number ≥ 0, found " + jitter);
            }
        }
    }

    @Override
    public List<Metric> metrics(PluginParams params) {
        params.as(Params.class);
        return List.of(Metric.curve(
                "mi_ksg",
                "mutual information between the groups by the KSG k-nearest-neighbour estimator, nats",
                Metric.Direction.NONE,
                "mi_ksg"));
    }

    @Override
    public AnalysisResult analyze(Snapshot s, PluginParams params) {
        Params p = params.as(Params.class);
        INDArray act = s.trajectory().analysisActivity();
        int batch = (int) act.size(0);
        int time = (int) act.size(1);
        int n = (int) act.size(2);
        int from = Math.min(p.fromStep(), time - 1);
        UnitGroups g = s.groups();
        double[] all = act.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        int total = batch * (time - from);
        Rng rng = Rng.of(p.seed());
        int[] pick =
                p.rows() == 0 || p.rows() >= total ? null : java.util.Arrays.copyOf(rng.permutation(total), p.rows());
        int m = pick == null ? total : pick.length;
        if (m <= p.k()) {
            throw new IllegalArgumentException("mi-ksg needs more than k = " + p.k() + " rows, found " + m);
        }
        double[][] x = new double[m][];
        double[][] y = new double[m][];
        for (int r = 0; r < m; r++) {
            int row = pick == null ? r : pick[r];
            int b = row / (time - from);
            int t = from + row % (time - from);
            int base = (b * time + t) * n;
            x[r] = select(all, base, g.group1());
            y[r] = select(all, base, g.group2());
        }
        jitter(x, p.jitter(), rng);
        jitter(y, p.jitter(), rng);
        return new AnalysisResult(Map.of("mi_ksg", ksg(x, y, p.k(), Threads.count())), Map.of());
    }

    /**
     * KSG algorithm 1 on paired rows.
     *
     * @param x rows of X
     * @param y rows of Y, as many
     * @param k neighbours
     * @param lanes threads to split the rows over
     */
    static double ksg(double[][] x, double[][] y, int k, int lanes) {
        int m = x.length;
        // columns, so that the distances of one row to all others are loops over contiguous
        // arrays that the JIT vectorizes: dx[j] = max_q |x_q[j] − x_q[i]|
        double[][] xc = columns(x);
        double[][] yc = columns(y);
        double[] terms = new double[m];
        int perLane = (m + lanes - 1) / lanes;
        Threads.lanes(lanes, lane -> {
            double[] dx = new double[m];
            double[] dy = new double[m];
            double[] kth = new double[k]; // the k smallest joint distances, ascending
            for (int i = lane * perLane; i < Math.min(m, (lane + 1) * perLane); i++) {
                distances(xc, i, dx);
                distances(yc, i, dy);
                java.util.Arrays.fill(kth, Double.POSITIVE_INFINITY);
                for (int j = 0; j < m; j++) {
                    double dz = Math.max(dx[j], dy[j]);
                    if (dz < kth[k - 1] && j != i) {
                        int q = k - 1;
                        while (q > 0 && kth[q - 1] > dz) {
                            kth[q] = kth[q - 1];
                            q--;
                        }
                        kth[q] = dz;
                    }
                }
                double eps = kth[k - 1];
                int nx = 0;
                int ny = 0;
                for (int j = 0; j < m; j++) {
                    nx += dx[j] < eps ? 1 : 0;
                    ny += dy[j] < eps ? 1 : 0;
                }
                // row i itself is at distance 0, counted above where ε > 0
                int self = eps > 0 ? 1 : 0;
                nx -= self;
                ny -= self;
                terms[i] = Gamma.digamma(nx + 1) + Gamma.digamma(ny + 1);
            }
        });
        double mean = 0;
        for (double t : terms) {
            mean += t / m;
        }
        return Gamma.digamma(k) + Gamma.digamma(m) - mean;
    }

    /** {@code d[j] = max_q |c_q[j] − c_q[i]|}: the max-norm distance of row i to every row. */
    private static void distances(double[][] columns, int i, double[] d) {
        java.util.Arrays.fill(d, 0);
        for (double[] c : columns) {
            double ci = c[i];
            for (int j = 0; j < d.length; j++) {
                d[j] = Math.max(d[j], Math.abs(c[j] - ci));
            }
        }
    }

    private static double[][] columns(double[][] rows) {
        int d = rows[0].length;
        double[][] c = new double[d][rows.length];
        for (int r = 0; r < rows.length; r++) {
            for (int q = 0; q < d; q++) {
                c[q][r] = rows[r][q];
            }
        }
        return c;
    }

    private static double[] select(double[] all, int base, int[] units) {
        double[] out = new double[units.length];
        for (int q = 0; q < units.length; q++) {
            out[q] = all[base + units[q]];
        }
        return out;
    }

    /** Adds uniform noise of ± scale × (each column's max − min). */
    private static void jitter(double[][] rows, double scale, Rng rng) {
        if (scale == 0 || rows.length == 0) {
            return;
        }
        int d = rows[0].length;
        for (int q = 0; q < d; q++) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (double[] r : rows) {
                lo = Math.min(lo, r[q]);
                hi = Math.max(hi, r[q]);
            }
            double a = scale * Math.max(hi - lo, 1e-300);
            for (double[] r : rows) {
                r[q] += a * (2 * rng.nextDouble() - 1);
            }
        }
    }
}
