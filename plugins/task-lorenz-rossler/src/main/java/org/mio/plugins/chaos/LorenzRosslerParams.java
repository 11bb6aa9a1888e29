package org.mio.plugins.chaos;

/**
 * Parameters of the separation task; every one optional, defaults from the reference
 * (METHOD.md §3b).
 *
 * @param sigma Lorenz σ; default 10
 * @param rho Lorenz ρ; default 28
 * @param beta Lorenz β; default 8/3
 * @param a Rössler a; default 0.2
 * @param b Rössler b; default 0.2
 * @param c Rössler c; default 5.7
 * @param lorenzEnd the Lorenz trajectory spans t ∈ [0, lorenzEnd]; default 100
 * @param rosslerEnd the Rössler trajectory spans t ∈ [0, rosslerEnd]; default 700
 * @param samples points of each trajectory, {@code linspace(0, end, samples)}; default 14 000
 * @param drop leading samples dropped after the min-max scaling; default 4 000, so sequences
 *     have {@code samples − drop} = 10 000 steps
 * @param rtol relative tolerance of the adaptive integrator; default 1e-3 (scipy's)
 * @param atol absolute tolerance; default 1e-6 (scipy's)
 * @param lossStart the loss counts from this step on (the GRU's warm-up is left out); default 200
 * @param sequencesPerFile sequences in one data file; batches draw from one file with
 *     replacement; default 5 000
 * @param epochsPerFile epochs that train on one file: epoch e uses file
 *     {@code 1 + (π(e) − 1) / epochsPerFile} for a permutation π of 1..epochs fixed per run;
 *     default 100
 * @param testFile the file whose first sequences are the test batch; default 120
 * @param dataSeed the seed of the data set: sequence i of file f is a pure function of
 *     (dataSeed, f, i), the same for every run, as the reference's data files are; default 0
 * @param cacheMiB memory for generated sequences kept for reuse, in MiB of Java heap, at most a
 *     quarter of the heap's limit (the least recently used go first); 0 turns the cache off. It changes no number: a sequence is the
 *     same generated or taken from the cache. Default 1024, about 2 900 sequences of 10 000
 *     steps in float32: a batch of 50 costs 0.4 s to generate on two cores, and the draws of an
 *     epoch come from one file, so most of them repeat
 */
public record LorenzRosslerParams(
        Double sigma,
        Double rho,
        Double beta,
        Double a,
        Double b,
        Double c,
        Double lorenzEnd,
        Double rosslerEnd,
        Integer samples,
        Integer drop,
        Double rtol,
        Double atol,
        Integer lossStart,
        Integer sequencesPerFile,
        Integer epochsPerFile,
        Integer testFile,
        Long dataSeed,
        Integer cacheMiB) {

    /** Applies the defaults and checks ranges. */
    public LorenzRosslerParams {
        sigma = finite("sigma", sigma, 10.0);
        rho = finite("rho", rho, 28.0);
        beta = finite("beta", beta, 8.0 / 3.0);
        a = finite("a", a, 0.2);
        b = finite("b", b, 0.2);
        c = finite("c", c, 5.7);
        lorenzEnd = positive("lorenzEnd", lorenzEnd, 100.0);
        rosslerEnd = positive("rosslerEnd", rosslerEnd, 700.0);
        samples = atLeast("samples", samples, 14_000, 2);
        drop = atLeast("drop", drop, 4_000, 0);
        if (drop >= samples) {
            throw new IllegalArgumentException("drop must be < samples (" + samples + "), found " + drop);
        }
        rtol = positive("rtol", rtol, 1e-3);
        atol = positive("atol", atol, 1e-6);
        lossStart = atLeast("lossStart", lossStart, 200, 0);
        if (lossStart >= samples - drop) {
            throw new IllegalArgumentException(
                    "lossStart must be < samples − drop (" + (samples - drop) + "), found " + lossStart);
        }
        sequencesPerFile = atLeast("sequencesPerFile", sequencesPerFile, 5_000, 1);
        epochsPerFile = atLeast("epochsPerFile", epochsPerFile, 100, 1);
        testFile = atLeast("testFile", testFile, 120, 1);
        dataSeed = dataSeed == null ? 0L : dataSeed;
        cacheMiB = atLeast("cacheMiB", cacheMiB, 1024, 0);
    }

    /** Steps of one sequence. */
    public int length() {
        return samples - drop;
    }

    private static double finite(String name, Double v, double dflt) {
        double x = v == null ? dflt : v;
        if (!Double.isFinite(x)) {
            throw new IllegalArgumentException(name + " must be a finite number, found " + x);
        }
        return x;
    }

    private static double positive(String name, Double v, double dflt) {
        double x = v == null ? dflt : v;
        if (!(x > 0) || !Double.isFinite(x)) {
            throw new IllegalArgumentException(name + " must be a finite number > 0, found " + x);
        }
        return x;
    }

    private static int atLeast(String name, Integer v, int dflt, int min) {
        int x = v == null ? dflt : v;
        if (x < min) {
            throw new IllegalArgumentException(name + " must be ≥ " + min + ", found " + x);
        }
        return x;
    }
}
