package org.mio.plugins.chaos;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Generated sequences kept in memory for reuse, keyed by (file, index), the least recently used
 * dropped first when the budget is full. A task instance has one set of data parameters, so the
 * key is complete; nothing is written anywhere. Thread-safe.
 */
final class SequenceCache {
    private final int capacity;
    private final LinkedHashMap<Long, Sequence> map;

    /**
     * @param budget bytes the cache may hold; 0 for none
     * @param perSequence bytes of one sequence
     */
    SequenceCache(long budget, long perSequence) {
        this.capacity = (int) Math.min(Integer.MAX_VALUE, budget / perSequence);
        this.map = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Sequence> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Sequences it can hold. */
    int capacity() {
        return capacity;
    }

    /** The sequence, or {@code null} if it is not here. */
    synchronized Sequence get(int file, int index) {
        return capacity == 0 ? null : map.get(key(file, index));
    }

    synchronized void put(int file, int index, Sequence s) {
        if (capacity > 0) {
            map.put(key(file, index), s);
        }
    }

    synchronized int size() {
        return map.size();
    }

    private static long key(int file, int index) {
        return (long) file << 32 | (index & 0xFFFFFFFFL);
    }
}
