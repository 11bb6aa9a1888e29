package org.mio.numerics;

import java.util.ArrayDeque;
import java.util.Iterator;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Large arrays whose memory is used again instead of being handed back to the system. ND4J writes
 * every page of a new array, even an "uninitialized" one, and closing an array returns its pages,
 * so a training step that makes and frees arrays of hundreds of MiB pays the page faults every
 * time: a 500 000 × 100 float array costs 100–400 ms to make on a 2-core machine, five to
 * twenty passes over it. Arrays made here, and any whole array of at least {@link #MIN_BYTES}
 * given to {@link Dense#release}, leave their buffer here when released; the next request of the
 * same data type and length takes the most recently released one. At most {@link #capacity()}
 * bytes wait here; beyond that the oldest buffers are freed. Thread-safe.
 *
 * <p>As with {@link Dense#release}, a released array, and every view of it, must not be used
 * afterwards: its memory becomes another array's.
 */
public final class Scratch {
    /** Smaller arrays are made and freed as usual: they cost little to make. */
    public static final long MIN_BYTES = 4L << 20;

    private static long capacity = defaultCapacity();

    /** Idle buffers, oldest first. */
    private static final ArrayDeque<DataBuffer> IDLE = new ArrayDeque<>();

    private static long idleBytes;

    private Scratch() {}

    /**
     * The most bytes kept idle: the system property {@code mio.scratch.mib} in MiB (0 turns the
     * reuse off), by default 2 GiB or a quarter of the memory ND4J may use, whichever is less
     * (sep-paper's phase B frees about 1.6 GiB of arrays it needs again at its next step).
     */
    public static synchronized long capacity() {
        return capacity;
    }

    /** Another capacity (for tests); idle buffers beyond it are freed, the oldest first. */
    static synchronized void capacity(long bytes) {
        capacity = bytes;
        trim();
    }

    /** Bytes kept idle now. */
    public static synchronized long idleBytes() {
        return idleBytes;
    }

    /**
     * A C-order array of {@code shape} whose elements are whatever its memory held: the caller
     * writes every element before reading it.
     */
    public static INDArray uninitialized(DataType type, long... shape) {
        long length = 1;
        for (long s : shape) {
            length *= s;
        }
        DataBuffer idle = length * type.width() >= MIN_BYTES ? take(type, length) : null;
        return idle == null ? Nd4j.createUninitialized(type, shape) : Nd4j.create(idle, shape);
    }

    /** A C-order array of {@code shape} filled with zeros. */
    public static INDArray zeros(DataType type, long... shape) {
        return uninitialized(type, shape).assign(0);
    }

    private static synchronized DataBuffer take(DataType type, long length) {
        Iterator<DataBuffer> newestFirst = IDLE.descendingIterator();
        while (newestFirst.hasNext()) {
            DataBuffer b = newestFirst.next();
            if (b.dataType() == type && b.length() == length) {
                newestFirst.remove();
                idleBytes -= bytes(b);
                return b;
            }
        }
        return null;
    }

    /**
     * Keeps the buffer of {@code a} for reuse if {@code a} is a whole, open array of at least
     * {@link #MIN_BYTES} that covers its buffer; then {@code a} must not be used any more.
     *
     * @return whether the buffer was kept (else the caller frees {@code a} itself)
     */
    static boolean keep(INDArray a) {
        if (a.isView() || !a.closeable() || a.wasClosed() || a.isEmpty()) {
            return false;
        }
        DataBuffer b = a.data();
        if (b.wasClosed() || b.length() != a.length() || b.underlyingDataBuffer() != null) {
            return false;
        }
        long bytes = bytes(b);
        if (bytes < MIN_BYTES) {
            return false;
        }
        synchronized (Scratch.class) {
            if (bytes > capacity) {
                return false;
            }
            for (DataBuffer held : IDLE) {
                if (held == b) {
                    return true; // released before
                }
            }
            // the old array can no longer free the buffer, which becomes another array's
            a.setCloseable(false);
            IDLE.addLast(b);
            idleBytes += bytes;
            trim();
        }
        return true;
    }

    private static synchronized void trim() {
        while (idleBytes > capacity) {
            DataBuffer oldest = IDLE.removeFirst();
            idleBytes -= bytes(oldest);
            oldest.close();
        }
    }

    /** Frees every idle buffer (for tests, and for callers about to need much memory at once). */
    public static synchronized void clear() {
        for (DataBuffer b : IDLE) {
            b.close();
        }
        IDLE.clear();
        idleBytes = 0;
    }

    private static long defaultCapacity() {
        long mib = Long.getLong("mio.scratch.mib", -1);
        return mib >= 0 ? mib << 20 : Math.min(2L << 30, MemoryLimits.current().nd4j() / 4);
    }

    private static long bytes(DataBuffer b) {
        return b.length() * b.getElementSize();
    }
}
