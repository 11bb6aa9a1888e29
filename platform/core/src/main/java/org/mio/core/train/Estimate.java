package org.mio.core.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mio.api.estimator.Estimator;
import org.mio.api.estimator.MIEstimator;
import org.mio.api.estimator.Sampling;
import org.mio.api.figure.Figure;
import org.mio.api.figure.FigureRenderer;
import org.mio.api.figure.Series;
import org.mio.api.figure.Style;
import org.mio.api.figure.XYPlot;
import org.mio.api.plugin.ConfigException;
import org.mio.api.plugin.PluginContext;
import org.mio.api.plugin.Rng;
import org.mio.core.config.Json;
import org.mio.core.config.JsonPluginParams;
import org.mio.core.config.Overrides;
import org.mio.core.figures.FigureWriter;
import org.mio.numerics.AtomicFiles;
import org.mio.numerics.Npy;
import org.mio.numerics.Rows;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code mio estimate}: any installed estimator on the user's own samples. A trained estimator
 * sets a fifth of the rows aside ({@code holdout}), takes {@code steps} phase-A steps, each on a
 * random batch of {@code batch} of the other rows with the input noise its parameters ask for, and
 * reports the mean and standard deviation of its estimate of the held-out rows (without noise) over
 * the last tenth of the steps (at least ten). An estimator without parameters reports its
 * estimate of all rows, without input noise, and as spread the standard deviation over
 * {@code steps} bootstrap resamples of the rows.
 */
public final class Estimate {
    /** Fewer rows than this are refused: no estimator says anything on fewer. */
    public static final int MIN_ROWS = 16;

    private Estimate() {}

    /**
     * What the command was asked.
     *
     * @param kind the estimator's kind
     * @param sets {@code path=value} overrides of its params, e.g. {@code hidden=64}
     * @param x the file of X [S, dX]
     * @param y the file of Y [S, dY]
     * @param steps training steps (trained) or bootstrap resamples (not trained); {@code null}:
     *     2 000 or 20
     * @param batch rows per training step; {@code null}: min(training rows, 4 096)
     * @param holdout the fraction of the rows a trained estimator is measured on and does not train
     *     on; {@code null}: 0.2; 0: report the training curve
     * @param seed the stream of initialization, batches, permutations and noise
     * @param threads threads of the estimator's context
     * @param cacheDir the deployment's cache folder
     */
    public record Options(
            String kind,
            List<String> sets,
            Path x,
            Path y,
            Integer steps,
            Integer batch,
            Double holdout,
            long seed,
            int threads,
            Path cacheDir) {}

    private record Context(DataType dataType, int threads, Path cacheDir) implements PluginContext {}

    /**
     * The answer.
     *
     * @param kind the estimator's kind
     * @param estimate trained: mean over the last tenth of the steps of the estimate of the held-out
     *     rows (of the training curve without a holdout); not trained: the estimate of all rows (nats)
     * @param spread standard deviation of the same values, or of the bootstrap estimates
     * @param trained whether the estimator has parameters that phase A trains
     * @param rows S
     * @param dimX columns of X
     * @param dimY columns of Y
     * @param batch rows per step (all rows for an estimator that is not trained)
     * @param heldOut rows set aside to measure a trained estimator on (0: none)
     * @param curve the estimate at every step, before the step's update, on its batch; or of every
     *     bootstrap resample
     * @param measured the estimate of the held-out rows after a step, where measured (every
     *     hundredth of the steps and every step of the last tenth), else NaN
     * @param seconds wall time of the steps
     */
    public record Result(
            String kind,
            double estimate,
            double spread,
            boolean trained,
            long rows,
            int dimX,
            int dimY,
            int batch,
            int heldOut,
            double[] curve,
            double[] measured,
            double seconds) {

        /** {@code <kind>: <estimate> nats ± <spread>}. */
        public String line() {
            return String.format("%s: %.4f nats ± %.4f", kind, estimate, spread);
        }

        /** The same as one JSON object, without the curve. */
        public String json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", kind);
            m.put("estimate", estimate);
            m.put("spread", spread);
            m.put("unit", "nats");
            m.put("trained", trained);
            m.put("rows", rows);
            m.put("dimX", dimX);
            m.put("dimY", dimY);
            m.put("batch", batch);
            m.put("heldOut", heldOut);
            m.put("steps", curve.length);
            m.put("seconds", seconds);
            return Json.canonical(Json.MAPPER.valueToTree(m));
        }
    }

    /**
     * Reads and checks the samples, trains or evaluates, and returns the result.
     *
     * @param service the estimator plugin of {@code o.kind()}
     * @throws IllegalArgumentException naming the option, the file and what is wrong with an array
     * @throws ConfigException naming the parameter when the estimator refuses one
     */
    public static Result run(MIEstimator service, Options o) throws IOException {
        INDArray x = samples(o.x(), "--x");
        INDArray y = samples(o.y(), "--y");
        if (x.size(0) != y.size(0)) {
            throw new IllegalArgumentException("--x " + o.x() + " has " + x.size(0) + " rows and --y " + o.y() + " "
                    + y.size(0) + "; row i of both must be one joint sample");
        }
        int rows = (int) x.size(0);
        int batch = o.batch() == null ? Math.min(rows, 4096) : o.batch();
        if (batch < MIN_ROWS || batch > rows) {
            throw new IllegalArgumentException(
                    "--batch " + batch + " must be in [" + MIN_ROWS + ", " + rows + "] (the rows of the samples)");
        }
        ObjectNode params = Json.MAPPER.createObjectNode();
        Overrides.apply(params, o.sets());
        PluginContext context = new Context(DataType.FLOAT, o.threads(), o.cacheDir());
        int dimX = (int) x.size(1);
        int dimY = (int) y.size(1);
        Estimator e = service.create(
                new JsonPluginParams(params, "--set", "params"),
                context,
                dimX,
                dimY,
                Rng.derive(o.seed(), "init", "estimator"));
        boolean trained = !e.parameters().isEmpty();
        int steps = o.steps() != null ? o.steps() : trained ? 2000 : 20;
        if (steps < 1) {
            throw new IllegalArgumentException("--steps must be ≥ 1, found " + steps);
        }
        Rng rng = Rng.derive(o.seed(), "estimate");
        double[] curve = new double[steps];
        long start = System.nanoTime();
        if (!trained) {
            // nothing to train: the estimate of all rows, and its spread over bootstrap resamples
            double all = e.estimate(x, y, new Sampling(rng, null, false));
            for (int s = 0; s < steps; s++) {
                int[] resample = new int[rows];
                for (int i = 0; i < rows; i++) {
                    resample[i] = rng.nextInt(rows);
                }
                curve[s] =
                        e.estimate(Rows.gather(x, resample), Rows.gather(y, resample), new Sampling(rng, null, false));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double[] none = new double[steps];
            Arrays.fill(none, Double.NaN);
            return new Result(
                    o.kind(), all, std(curve, 0, steps), false, rows, dimX, dimY, rows, 0, curve, none, seconds);
        }
        // a held-out part of the rows measures the trained estimator: on the rows it trains on, a
        // critic that memorizes its samples overestimates (1.39 nats for 1 at 20 + 20 dimensions)
        double fraction = o.holdout() == null ? 0.2 : o.holdout();
        int held = (int) Math.round(fraction * rows);
        if (fraction > 0 && (held < MIN_ROWS || rows - held < MIN_ROWS)) {
            throw new IllegalArgumentException("--holdout " + fraction + " leaves " + held + " rows to measure on and "
                    + (rows - held) + " to train on; each needs at least " + MIN_ROWS);
        }
        int[] order = rng.permutation(rows);
        int[] trainRows = Arrays.copyOfRange(order, held, rows);
        INDArray xh = held > 0 ? Rows.gather(x, Arrays.copyOf(order, held)) : null;
        INDArray yh = held > 0 ? Rows.gather(y, Arrays.copyOf(order, held)) : null;
        int trainBatch = Math.min(batch, trainRows.length);
        int tail = tail(steps);
        int every = Math.max(1, steps / 100);
        double[] measured = new double[steps];
        Arrays.fill(measured, Double.NaN);
        for (int s = 0; s < steps; s++) {
            int[] pick = rng.permutation(trainRows.length);
            int[] rowsOfStep = new int[trainBatch];
            for (int i = 0; i < trainBatch; i++) {
                rowsOfStep[i] = trainRows[pick[i]];
            }
            curve[s] = e.trainStep(Rows.gather(x, rowsOfStep), Rows.gather(y, rowsOfStep), Sampling.of(rng));
            if (xh != null && (s >= steps - tail || (s + 1) % every == 0)) {
                measured[s] = e.estimate(xh, yh, new Sampling(rng, null, false));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double[] reported = xh != null ? measured : curve;
        double mean = 0;
        for (int s = steps - tail; s < steps; s++) {
            mean += reported[s] / tail;
        }
        return new Result(
                o.kind(),
                mean,
                std(reported, steps - tail, steps),
                true,
                rows,
                dimX,
                dimY,
                trainBatch,
                held,
                curve,
                measured,
                seconds);
    }

    /** The last tenth of {@code steps}, at least ten (or all, if fewer). */
    static int tail(int steps) {
        return Math.min(steps, Math.max(10, steps / 10));
    }

    private static double std(double[] v, int from, int to) {
        double mean = 0;
        for (int s = from; s < to; s++) {
            mean += v[s] / (to - from);
        }
        double var = 0;
        for (int s = from; s < to; s++) {
            var += (v[s] - mean) * (v[s] - mean) / Math.max(1, to - from - 1);
        }
        return Math.sqrt(var);
    }

    /** A finite float matrix [S ≥ {@link #MIN_ROWS}, d ≥ 1] from {@code file}. */
    static INDArray samples(Path file, String option) {
        INDArray a;
        try {
            a = Npy.read(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException(option + " " + file + ": no such file");
        } catch (IOException e) {
            // a damaged or foreign file is bad input, named with the option that gave it
            throw new IllegalArgumentException(option + " " + org.mio.core.run.IoErrors.describe(e), e);
        }
        if (!a.dataType().isFPType() && !a.dataType().isIntType()) {
            throw new IllegalArgumentException(option + " " + file + ": must hold numbers, found " + a.dataType());
        }
        if (a.rank() == 1) {
            a = a.reshape(a.length(), 1);
        }
        if (a.rank() != 2) {
            throw new IllegalArgumentException(option + " " + file + ": must be a matrix [samples, dimensions], found"
                    + " shape " + Arrays.toString(a.shape()));
        }
        if (a.size(0) < MIN_ROWS || a.size(1) < 1) {
            throw new IllegalArgumentException(option + " " + file + ": has " + a.size(0) + " rows of " + a.size(1)
                    + " columns; an estimate needs at least " + MIN_ROWS + " rows and one column");
        }
        double[] v = a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                throw new IllegalArgumentException(option + " " + file + ": row " + i / a.size(1) + ", column "
                        + i % a.size(1) + " is " + v[i] + "; the samples must be finite");
            }
        }
        return a.castTo(DataType.FLOAT).dup('c');
    }

    /** The curve as {@code curve.csv}, the result as {@code estimate.json} and, with a renderer, {@code curve.png/svg}. */
    public static void write(Result r, Path dir, Optional<FigureRenderer> renderer, PrintStream log)
            throws IOException {
        Files.createDirectories(dir);
        StringBuilder csv = new StringBuilder("step,estimate,held_out\n");
        for (int s = 0; s < r.curve().length; s++) {
            csv.append(s + 1).append(',').append(r.curve()[s]).append(',');
            if (!Double.isNaN(r.measured()[s])) {
                csv.append(r.measured()[s]);
            }
            csv.append('\n');
        }
        AtomicFiles.write(dir.resolve("curve.csv"), csv.toString().getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(dir.resolve("estimate.json"), (r.json() + "\n").getBytes(StandardCharsets.UTF_8));
        if (renderer.isPresent()) {
            double[] steps = new double[r.curve().length];
            for (int s = 0; s < steps.length; s++) {
                steps[s] = s + 1;
            }
            XYPlot plot = XYPlot.of(r.line(), r.trained() ? "training step" : "bootstrap resample", "Î (nats)")
                    .with(new Series(r.trained() ? "training batch" : r.kind(), steps, r.curve(), Style.LINE));
            if (r.heldOut() > 0) {
                int n = 0;
                for (double v : r.measured()) {
                    n += Double.isNaN(v) ? 0 : 1;
                }
                double[] xs = new double[n];
                double[] ys = new double[n];
                for (int s = 0, i = 0; s < steps.length; s++) {
                    if (!Double.isNaN(r.measured()[s])) {
                        xs[i] = s + 1;
                        ys[i++] = r.measured()[s];
                    }
                }
                plot = plot.with(new Series("held-out rows", xs, ys, Style.LINE));
            }
            if (r.trained()) {
                int tail = tail(steps.length);
                plot = plot.band(new XYPlot.Band(steps.length - tail + 0.5, steps.length + 0.5, "averaged"));
            }
            new FigureWriter(renderer.get(), dir, log)
                    .write(Figure.grid("curve", "mio estimate " + r.kind(), 1, List.of(plot), 720, 420));
        }
    }
}
