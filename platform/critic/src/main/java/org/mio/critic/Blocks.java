package org.mio.critic;

import org.mio.numerics.Threads;

/**
 * The used rows in consecutive blocks of near-equal size, none longer than {@code blockRows},
 * their count a multiple of the lanes where the rows allow, so the lanes get equal work; lane
 * q runs blocks {@code [first(q), first(q + 1))}. The plan of every critic's lanes ({@link
 * ConcatCritic}, {@link Mlp}); {@link #jointRow} and {@link #marginalRow} address the concatenated
 * critic's stacked inputs, each block's joint rows followed by its marginal rows.
 */
record Blocks(int n, int size, int count, int lanes) {
    static Blocks of(int n, int blockRows, int lanes) {
        int count = ceilDiv(ceilDiv(n, blockRows), lanes) * lanes;
        int size = ceilDiv(n, count);
        return new Blocks(n, size, ceilDiv(n, size), lanes);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    int start(int block) {
        return block * size;
    }

    int rows(int block) {
        return Math.min(size, n - block * size);
    }

    /** The row of z that holds used row r in its joint term. */
    int jointRow(int r) {
        int b = r / size;
        return 2 * start(b) + (r - start(b));
    }

    /** The row of z that holds used row r in its marginal term. */
    int marginalRow(int r) {
        int b = r / size;
        return 2 * start(b) + rows(b) + (r - start(b));
    }

    int first(int lane) {
        return Threads.start(count, lanes, lane);
    }
}
