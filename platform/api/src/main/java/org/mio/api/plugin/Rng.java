package org.mio.api.plugin;

import java.nio.charset.StandardCharsets;
import java.util.random.RandomGenerator;

/**
 * A seeded, splittable random stream (xoshiro256**), the only source of randomness in mio.
 *
 * <p>Every stream of a run derives from the run's master seed through named splits
 * ({@link #derive(long, String...)}): the same seed and names give the same numbers on any
 * machine. Gaussian and bounded draws come from {@link RandomGenerator}'s default algorithms
 * (a ziggurat for {@link #nextGaussian()}), which are fixed by the Java specification of this
 * interface's implementation in the JDK and identical on every platform running the same JDK.
 *
 * <p>Not thread-safe: give each thread its own stream with {@link #split(String)}.
 */
public final class Rng implements RandomGenerator {
    private long s0;
    private long s1;
    private long s2;
    private long s3;

    private Rng(long seed) {
        long x = seed;
        s0 = mix(x += 0x9E3779B97F4A7C15L);
        s1 = mix(x += 0x9E3779B97F4A7C15L);
        s2 = mix(x += 0x9E3779B97F4A7C15L);
        s3 = mix(x + 0x9E3779B97F4A7C15L);
    }

    /** A stream seeded directly with {@code seed}. */
    public static Rng of(long seed) {
        return new Rng(seed);
    }

    /**
     * The stream named by {@code path} under {@code masterSeed}, e.g.
     * {@code derive(seed, "data", "epoch", "17")}. Different paths give independent streams.
     */
    public static Rng derive(long masterSeed, String... path) {
        long h = mix(masterSeed ^ 0x6A09E667F3BCC909L);
        for (String part : path) {
            h = hash(h, part);
        }
        return new Rng(h);
    }

    /** An independent child stream named {@code name}; this stream advances by one draw. */
    public Rng split(String name) {
        return new Rng(hash(nextLong(), name));
    }

    /** The four state words, to checkpoint this stream exactly. */
    public long[] state() {
        return new long[] {s0, s1, s2, s3};
    }

    /** A stream continuing exactly from {@link #state()}. */
    public static Rng fromState(long[] state) {
        if (state.length != 4 || (state[0] | state[1] | state[2] | state[3]) == 0) {
            throw new IllegalArgumentException("Rng state must be 4 words, not all zero");
        }
        Rng r = new Rng(0);
        r.s0 = state[0];
        r.s1 = state[1];
        r.s2 = state[2];
        r.s3 = state[3];
        return r;
    }

    @Override
    public long nextLong() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /** Fills {@code out} with independent N(0, σ²) draws (float). */
    public void fillGaussian(float[] out, int from, int to, double sigma) {
        for (int i = from; i < to; i++) {
            out[i] = (float) (sigma * nextGaussian());
        }
    }

    /** A uniformly random permutation of {@code 0..n-1} (Fisher–Yates). */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static long hash(long h, String part) {
        for (byte b : part.getBytes(StandardCharsets.UTF_8)) {
            h = mix(h ^ (b & 0xFF));
        }
        return mix(h ^ 0xFF51AFD7ED558CCDL);
    }

    /** splitmix64 finalizer. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
