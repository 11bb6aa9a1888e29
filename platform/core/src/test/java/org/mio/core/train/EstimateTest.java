package org.mio.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mio.api.plugin.ConfigException;
import org.mio.api.plugin.Rng;
import org.mio.core.config.Json;
import org.mio.core.standins.StandIns;
import org.mio.numerics.Npy;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class EstimateTest {
    @TempDir
    Path dir;

    private Path npy(String name, INDArray a) throws IOException {
        Path f = dir.resolve(name);
        Npy.write(f, a);
        return f;
    }

    private static INDArray gaussian(int rows, int cols, long seed) {
        Rng r = Rng.of(seed);
        INDArray a = Nd4j.create(DataType.FLOAT, rows, cols);
        for (long i = 0; i < a.length(); i++) {
            a.putScalar(i, r.nextGaussian());
        }
        return a;
    }

    private Double holdout = 0.0;

    private Estimate.Options options(Path x, Path y, Integer steps, Integer batch, List<String> sets) {
        return new Estimate.Options("fake", sets, x, y, steps, batch, holdout, 7, 1, dir.resolve("cache"));
    }

    /** The line is the mean and standard deviation of the last tenth of the curve (at least ten steps). */
    @Test
    void reportsTheTailOfTheCurveAndIsDeterministic() throws IOException {
        INDArray x = gaussian(200, 3, 1);
        Path xf = npy("x.npy", x);
        Path yf = npy("y.npy", x.getColumns(0, 1).mul(2));
        Estimate.Result r = Estimate.run(new StandIns.FakeEstimator(), options(xf, yf, 150, 64, List.of("lr=0.05")));
        assertTrue(r.trained());
        assertEquals(150, r.curve().length);
        assertEquals(64, r.batch());
        double mean = 0;
        for (int s = 135; s < 150; s++) {
            mean += r.curve()[s] / 15;
        }
        double var = 0;
        for (int s = 135; s < 150; s++) {
            var += (r.curve()[s] - mean) * (r.curve()[s] - mean) / 14;
        }
        assertEquals(mean, r.estimate(), 1e-12);
        assertEquals(Math.sqrt(var), r.spread(), 1e-12);
        assertTrue(r.curve()[149] > r.curve()[0], "the fake estimator's bound rises as it trains");
        assertEquals(String.format("fake: %.4f nats ± %.4f", r.estimate(), r.spread()), r.line());
        Estimate.Result again =
                Estimate.run(new StandIns.FakeEstimator(), options(xf, yf, 150, 64, List.of("lr=0.05")));
        assertEquals(r.estimate(), again.estimate(), 0.0);
        var json = Json.MAPPER.readTree(r.json());
        assertEquals(r.estimate(), json.get("estimate").asDouble(), 0.0);
        assertEquals(150, json.get("steps").asInt());
        assertEquals(3, json.get("dimX").asInt());
    }

    /**
     * With a holdout, the estimate is the mean of the held-out measurements over the last tenth of
     * the steps, measured on rows the estimator never trained on, every step there and every
     * hundredth before.
     */
    @Test
    void aHoldoutMeasuresOnRowsNotTrainedOn() throws IOException {
        holdout = 0.25;
        INDArray x = gaussian(200, 3, 1);
        Path xf = npy("x.npy", x);
        Path yf = npy("y.npy", x.getColumns(0, 1).mul(2));
        Estimate.Result r = Estimate.run(new StandIns.FakeEstimator(), options(xf, yf, 300, 64, List.of("lr=0.05")));
        assertEquals(50, r.heldOut());
        int measured = 0;
        double mean = 0;
        for (int s = 0; s < 300; s++) {
            if (!Double.isNaN(r.measured()[s])) {
                measured++;
            }
            if (s >= 270) {
                assertTrue(!Double.isNaN(r.measured()[s]), "measured at step " + s);
                mean += r.measured()[s] / 30;
            }
        }
        assertEquals(270 / 3 + 30, measured, "every third step before the tail, every step in it");
        assertEquals(mean, r.estimate(), 1e-12);
        holdout = 0.95;
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> Estimate.run(new StandIns.FakeEstimator(), options(xf, yf, 30, 64, List.of())));
        assertEquals(
                "--holdout 0.95 leaves 190 rows to measure on and 10 to train on; each needs at least 16",
                e.getMessage());
    }

    @Test
    void writesTheCurveTheResultAndAFigure() throws IOException {
        INDArray x = gaussian(100, 2, 1);
        Path xf = npy("x.npy", x);
        Path yf = npy("y.npy", x);
        Estimate.Result r = Estimate.run(new StandIns.FakeEstimator(), options(xf, yf, 20, null, List.of()));
        assertEquals(100, r.batch(), "all rows when there are fewer than 4 096");
        var renderer = new StandIns.RecordingRenderer();
        Estimate.write(r, dir.resolve("out"), Optional.of(renderer), new PrintStream(new ByteArrayOutputStream()));
        List<String> csv = Files.readAllLines(dir.resolve("out/curve.csv"));
        assertEquals("step,estimate,held_out", csv.get(0));
        assertEquals(21, csv.size());
        assertEquals(r.curve()[19], Double.parseDouble(csv.get(20).split(",")[1]), 0.0);
        assertEquals(2, csv.get(20).split(",", -1).length - 1, "no held-out column value without a holdout");
        assertEquals(
                r.estimate(),
                Json.MAPPER
                        .readTree(dir.resolve("out/estimate.json").toFile())
                        .get("estimate")
                        .asDouble(),
                0.0);
        assertEquals("curve", renderer.figures.get(0).name());
        assertTrue(Files.isRegularFile(dir.resolve("out/curve.png")));
    }

    /** Bad arrays and options: one line that names the option, the file and what is wrong. */
    @Test
    void badSamplesAreNamed() throws IOException {
        Path good = npy("good.npy", gaussian(40, 2, 1));
        INDArray nan = gaussian(40, 2, 2);
        nan.putScalar(new long[] {7, 1}, Double.NaN);
        Path bad = npy("nan.npy", nan);
        Path few = npy("few.npy", gaussian(8, 2, 3));
        Path cube = npy("cube.npy", Nd4j.create(DataType.FLOAT, 20, 2, 2));
        Path other = npy("other.npy", gaussian(41, 2, 4));
        var fake = new StandIns.FakeEstimator();
        assertEquals(
                "--y " + bad + ": row 7, column 1 is NaN; the samples must be finite",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> Estimate.run(fake, options(good, bad, 5, null, List.of())))
                        .getMessage());
        assertEquals(
                "--x " + few + ": has 8 rows of 2 columns; an estimate needs at least 16 rows and one column",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> Estimate.run(fake, options(few, good, 5, null, List.of())))
                        .getMessage());
        assertEquals(
                "--x " + cube + ": must be a matrix [samples, dimensions], found shape [20, 2, 2]",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> Estimate.run(fake, options(cube, good, 5, null, List.of())))
                        .getMessage());
        assertEquals(
                "--x " + good + " has 40 rows and --y " + other + " 41; row i of both must be one joint sample",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> Estimate.run(fake, options(good, other, 5, null, List.of())))
                        .getMessage());
        assertEquals(
                "--batch 50 must be in [16, 40] (the rows of the samples)",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> Estimate.run(fake, options(good, good, 5, 50, List.of())))
                        .getMessage());
        assertEquals(
                "--x " + dir.resolve("none.npy") + ": no such file",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> Estimate.run(fake, options(dir.resolve("none.npy"), good, 5, null, List.of())))
                        .getMessage());
        var config = assertThrows(
                ConfigException.class, () -> Estimate.run(fake, options(good, good, 5, null, List.of("nope=1"))));
        assertTrue(config.getMessage().contains("nope"), config.getMessage());
    }
}
