package org.mio.core.train;

import java.util.ArrayList;
import java.util.List;
import org.mio.api.plugin.Rng;
import org.mio.numerics.Rows;
import org.mio.numerics.Scratch;
import org.mio.numerics.Threads;
import org.mio.numerics.Vec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Small tensor operations of the trainer, as plain loops over whole arrays. */
final class Tensors {
    private Tensors() {}

    /** Steps {@code [from, to)} of a {@code [batch, time, units]} array, as a new contiguous array. */
    static INDArray steps(INDArray a, int from, int to) {
        return a.get(NDArrayIndex.all(), NDArrayIndex.interval(from, to), NDArrayIndex.all())
                .dup('c');
    }

    /** {@code [batch, units]} of i.i.d. N(0, 1). */
    static INDArray normal(DataType type, int batch, int units, Rng rng) {
        INDArray a = Nd4j.create(type, batch, units);
        Vec v = Vec.of(a);
        for (int i = 0; i < v.length(); i++) {
            v.set(i, rng.nextGaussian());
        }
        return a;
    }

    /**
     * The columns {@code cols} of a {@code [batch, time, units]} activity as a sample matrix
     * {@code [batch·time, cols]}, row {@code b·time + t}.
     */
    static INDArray gather(INDArray activity, int[] cols) {
        INDArray src = Rows.whole(activity) ? activity : activity.dup('c');
        int units = (int) src.size(2);
        int rows = (int) (src.size(0) * src.size(1));
        INDArray out = Scratch.uninitialized(src.dataType(), rows, cols.length);
        // runs of consecutive columns (a group is usually one), copied as they are
        List<int[]> runs = new ArrayList<>();
        for (int c = 0; c < cols.length; c++) {
            int[] last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
            if (last != null && cols[c] == last[0] + last[2]) {
                last[2]++;
            } else {
                runs.add(new int[] {cols[c], c, 1}); // source column, target column, length
            }
        }
        int lanes = lanes(rows);
        Threads.lanes(lanes, lane -> {
            Rows s = Rows.of(src);
            Rows o = Rows.of(out);
            for (int r = Threads.start(rows, lanes, lane); r < Threads.start(rows, lanes, lane + 1); r++) {
                for (int[] run : runs) {
                    s.copy(r * units + run[0], o, r * cols.length + run[1], run[2]);
                }
            }
        });
        return out;
    }

    /** Adds {@code scale·grad[r, c]} into {@code target[b, t, cols[c]]} (the inverse of gather). */
    static void scatterAdd(INDArray target, int[] cols, INDArray grad, double scale) {
        if (!Rows.whole(target)) {
            throw new IllegalArgumentException("scatterAdd needs a whole target array");
        }
        int units = (int) target.size(2);
        int rows = (int) grad.size(0);
        INDArray g = Rows.whole(grad) ? grad : grad.dup('c');
        int lanes = lanes(rows);
        Threads.lanes(lanes, lane -> {
            Rows t = Rows.of(target);
            Rows gr = Rows.of(g);
            double[] row = new double[units];
            double[] add = new double[cols.length];
            for (int r = Threads.start(rows, lanes, lane); r < Threads.start(rows, lanes, lane + 1); r++) {
                t.read(r * units, row);
                gr.read(r * cols.length, add);
                for (int c = 0; c < cols.length; c++) {
                    row[cols[c]] += scale * add[c];
                }
                t.write(r * units, row);
            }
        });
    }

    /** Lanes for a row loop: one per thread, none for small arrays. */
    private static int lanes(int rows) {
        return Math.max(1, Math.min(Threads.count(), rows / 8192));
    }

    /**
     * Mean squared error over the steps {@code t ≥ lossStart} of {@code [batch, time, out]} arrays
     * (Keras MSE: the mean over batch × counted time × outputs), and its gradient into
     * {@code dOut} (zero before {@code lossStart}).
     */
    static double mse(INDArray outputs, INDArray targets, int lossStart, INDArray dOut) {
        INDArray o = outputs.isView() ? outputs.dup('c') : outputs;
        INDArray y = targets.isView() ? targets.dup('c') : targets;
        int batch = (int) o.size(0);
        int time = (int) o.size(1);
        int width = (int) o.size(2);
        long count = (long) batch * (time - lossStart) * width;
        Vec ov = Vec.of(o);
        Vec yv = Vec.of(y);
        Vec dv = Vec.of(dOut);
        double sum = 0;
        for (int b = 0; b < batch; b++) {
            for (int t = lossStart; t < time; t++) {
                int base = (b * time + t) * width;
                for (int k = 0; k < width; k++) {
                    double e = ov.get(base + k) - yv.get(base + k);
                    sum += e * e;
                    dv.set(base + k, 2 * e / count);
                }
            }
        }
        return sum / count;
    }
}
