package org.mio.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mio.api.plugin.Rng;
import org.mio.api.run.RunRequest;
import org.mio.core.command.ExperimentServiceImpl;
import org.mio.core.config.Json;
import org.mio.core.registry.PluginRegistry;
import org.mio.core.session.Session;
import org.mio.core.standins.StandIns;
import org.mio.numerics.Npy;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code mio grad}: the written total gradient is the derivative of the written total (central differences). */
class GradCheckTest {
    @TempDir
    Path dir;

    private Session session() throws IOException {
        return session(TrainerTest.EXPERIMENT);
    }

    private Session session(String experiment) throws IOException {
        PluginRegistry registry = StandIns.registry();
        var service = new ExperimentServiceImpl(
                registry, new StandIns.StubNumerics(), org.mio.core.command.TestSettings.in(dir));
        Files.writeString(dir.resolve("exp.json"), experiment);
        var p = service.prepare(new RunRequest(dir.resolve("exp.json").toString(), List.of(), null, false));
        return p.session();
    }

    private double total(Path out) throws IOException {
        return Json.MAPPER
                .readTree(out.resolve("values.json").toFile())
                .get("total")
                .asDouble();
    }

    /** A Gaussian batch u [2, 7, 2], y [2, 7, 1] from {@code seed}, written as {@code u.npy} and {@code y.npy}. */
    private void writeBatch(long seed) throws IOException {
        Rng r = Rng.of(seed);
        INDArray u = Nd4j.create(DataType.DOUBLE, 2, 7, 2);
        INDArray y = Nd4j.create(DataType.DOUBLE, 2, 7, 1);
        for (long i = 0; i < u.length(); i++) {
            u.putScalar(i, r.nextGaussian());
        }
        for (long i = 0; i < y.length(); i++) {
            y.putScalar(i, r.nextGaussian());
        }
        Npy.write(dir.resolve("u.npy"), u);
        Npy.write(dir.resolve("y.npy"), y);
    }

    @Test
    void totalGradientMatchesCentralDifferences() throws IOException {
        writeBatch(5);
        PrintStream log = new PrintStream(new ByteArrayOutputStream());
        Session s = session();
        GradCheck.run(s, dir.resolve("u.npy"), dir.resolve("y.npy"), null, null, null, null, dir.resolve("g"), log);
        INDArray grad = Npy.read(dir.resolve("g/grad_total/W.npy"));
        assertTrue(Files.exists(dir.resolve("g/mi_dx.npy")) && Files.exists(dir.resolve("g/perm.npy")));
        // write the same weights as files, perturb one element, evaluate again with the written permutation
        Files.createDirectories(dir.resolve("p/model"));
        for (int idx : new int[] {0, 3, 5}) {
            double h = 1e-6;
            double[] f = new double[2];
            for (int k = 0; k < 2; k++) {
                INDArray w = s.network().parameters().get("W").dup();
                w.putScalar(idx, w.getDouble(idx) + (k == 0 ? h : -h));
                Npy.write(dir.resolve("p/model/W.npy"), w);
                Path out = dir.resolve("g" + idx + k);
                GradCheck.run(
                        session(),
                        dir.resolve("u.npy"),
                        dir.resolve("y.npy"),
                        null,
                        null,
                        dir.resolve("g/perm.npy"),
                        dir.resolve("p"),
                        out,
                        log);
                f[k] = total(out);
            }
            assertEquals((f[0] - f[1]) / (2 * h), grad.getDouble(idx), 1e-6);
        }
    }

    /**
     * An estimator that uses 9 of the 14 rows: the drawn subset and permutation are written with
     * the lengths the docs state, read back they give the same numbers, and both the model's total
     * gradient and the estimator-parameter gradient of phase A match central differences.
     */
    @Test
    void rowSubsamplingIsWrittenAndReadBack() throws IOException {
        String subsampled = TrainerTest.EXPERIMENT.replace(
                "\"estimator\": {\"kind\": \"fake-mi\"}",
                "\"estimator\": {\"kind\": \"fake-mi\", \"params\": {\"rows\": 9}}");
        writeBatch(6);
        PrintStream log = new PrintStream(new ByteArrayOutputStream());
        Session s = session(subsampled);
        GradCheck.run(s, dir.resolve("u.npy"), dir.resolve("y.npy"), null, null, null, null, dir.resolve("g"), log);
        INDArray rows = Npy.read(dir.resolve("g/rows.npy"));
        assertEquals(9, rows.length());
        assertEquals(
                9,
                java.util.Arrays.stream(rows.toIntVector())
                        .distinct()
                        .filter(i -> i >= 0 && i < 14)
                        .count());
        assertEquals(9, Npy.read(dir.resolve("g/perm.npy")).length());
        // given back, the same subset and permutation reproduce the numbers
        GradCheck.run(
                session(subsampled),
                dir.resolve("u.npy"),
                dir.resolve("y.npy"),
                null,
                dir.resolve("g/rows.npy"),
                dir.resolve("g/perm.npy"),
                null,
                dir.resolve("again"),
                log);
        assertEquals(total(dir.resolve("g")), total(dir.resolve("again")), 0.0);
        // the model's total gradient and the estimator's phase-A gradient, by central differences
        INDArray gradW = Npy.read(dir.resolve("g/grad_total/W.npy"));
        INDArray gradM = Npy.read(dir.resolve("g/grad_estimator/M.npy"));
        double h = 1e-6;
        for (String[] which : new String[][] {{"model", "W"}, {"estimator", "M"}}) {
            var live = which[0].equals("model")
                    ? s.network().parameters()
                    : s.estimator().parameters();
            Files.createDirectories(dir.resolve("p").resolve(which[0]));
            for (int idx : new int[] {0, 1}) {
                double[] f = new double[2];
                for (int k = 0; k < 2; k++) {
                    INDArray w = live.get(which[1]).dup();
                    w.putScalar(idx, w.getDouble(idx) + (k == 0 ? h : -h));
                    Npy.write(dir.resolve("p").resolve(which[0]).resolve(which[1] + ".npy"), w);
                    Path out = dir.resolve("d" + which[1] + idx + k);
                    GradCheck.run(
                            session(subsampled),
                            dir.resolve("u.npy"),
                            dir.resolve("y.npy"),
                            null,
                            dir.resolve("g/rows.npy"),
                            dir.resolve("g/perm.npy"),
                            dir.resolve("p"),
                            out,
                            log);
                    f[k] = Json.MAPPER
                            .readTree(out.resolve("values.json").toFile())
                            .get(which[0].equals("model") ? "total" : "mi")
                            .asDouble();
                }
                Files.delete(dir.resolve("p").resolve(which[0]).resolve(which[1] + ".npy"));
                INDArray grad = which[0].equals("model") ? gradW : gradM;
                assertEquals((f[0] - f[1]) / (2 * h), grad.getDouble(idx), 1e-6, which[1] + "[" + idx + "]");
            }
        }
        // a permutation of the wrong length names the option, the file and the length expected
        Npy.write(dir.resolve("bad.npy"), Nd4j.createFromArray(new int[] {0, 1, 2}));
        var e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class,
                () -> GradCheck.run(
                        session(subsampled),
                        dir.resolve("u.npy"),
                        dir.resolve("y.npy"),
                        null,
                        null,
                        dir.resolve("bad.npy"),
                        null,
                        dir.resolve("bad"),
                        log));
        assertEquals(
                "--perm " + dir.resolve("bad.npy") + ": must hold 9 indices (the rows the estimator uses of the "
                        + "batch's B·T rows), found 3",
                e.getMessage());
    }
}
