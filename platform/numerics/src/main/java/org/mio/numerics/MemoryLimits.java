package org.mio.numerics;

import org.bytedeco.javacpp.Pointer;

/**
 * How much memory this JVM may use: the Java heap ({@code -Xmx}), the off-heap memory ND4J may
 * allocate (JavaCPP's {@code org.bytedeco.javacpp.maxbytes}, which defaults to the heap's maximum)
 * and the machine's physical memory.
 *
 * @param heap the heap's maximum, bytes
 * @param offHeap the most ND4J may allocate outside the heap, bytes
 * @param physical the machine's physical memory, bytes (0 if unknown)
 */
public record MemoryLimits(long heap, long offHeap, long physical) {

    /** The limits of this JVM. */
    public static MemoryLimits current() {
        long heap = Runtime.getRuntime().maxMemory();
        long off = Pointer.maxBytes();
        return new MemoryLimits(heap, off > 0 ? off : Long.MAX_VALUE, Math.max(0, Pointer.totalPhysicalBytes()));
    }

    /** The most ND4J can hold: its off-heap limit, or the machine's memory if that is smaller. */
    public long nd4j() {
        return physical > 0 ? Math.min(offHeap, physical) : offHeap;
    }

    /** Bytes as {@code 1.5 GiB}, {@code 312 MiB}, {@code 12 KiB} or {@code 800 B}. */
    public static String format(long bytes) {
        if (bytes == Long.MAX_VALUE) {
            return "more than 8 EiB";
        }
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0
                ? bytes + " B"
                : v >= 100
                        ? String.format(java.util.Locale.ROOT, "%.0f %s", v, units[u])
                        : String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
