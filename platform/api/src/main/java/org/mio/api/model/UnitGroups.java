package org.mio.api.model;

import java.util.Arrays;

/**
 * Two disjoint, non-empty groups of hidden units, as column indices of the activity.
 *
 * @param group1 indices of G1 in ascending order
 * @param group2 indices of G2 in ascending order
 */
public record UnitGroups(int[] group1, int[] group2) {

    /** Checks that the groups are non-empty, sorted, non-negative and disjoint. */
    public UnitGroups {
        group1 = group1.clone();
        group2 = group2.clone();
        check("group1", group1);
        check("group2", group2);
        for (int i : group1) {
            if (Arrays.binarySearch(group2, i) >= 0) {
                throw new IllegalArgumentException("unit " + i + " is in both groups");
            }
        }
    }

    /** G1 = units {@code 0..split-1}, G2 = units {@code split..size-1}. */
    public static UnitGroups split(int size, int split) {
        if (split <= 0 || split >= size) {
            throw new IllegalArgumentException("group split must be in (0, " + size + "), found " + split);
        }
        int[] a = new int[split];
        int[] b = new int[size - split];
        Arrays.setAll(a, i -> i);
        Arrays.setAll(b, i -> split + i);
        return new UnitGroups(a, b);
    }

    /** The group of unit {@code i}: 1, 2, or 0 if it is in neither. */
    public int groupOf(int i) {
        return Arrays.binarySearch(group1, i) >= 0 ? 1 : Arrays.binarySearch(group2, i) >= 0 ? 2 : 0;
    }

    /** G1's units then G2's, e.g. to draw a matrix in blocks with the group boundary at {@code group1().length}. */
    public int[] ordered() {
        int[] order = Arrays.copyOf(group1, group1.length + group2.length);
        System.arraycopy(group2, 0, order, group1.length, group2.length);
        return order;
    }

    @Override
    public int[] group1() {
        return group1.clone();
    }

    @Override
    public int[] group2() {
        return group2.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnitGroups g && Arrays.equals(group1, g.group1) && Arrays.equals(group2, g.group2);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(group1) + Arrays.hashCode(group2);
    }

    @Override
    public String toString() {
        return "UnitGroups" + Arrays.toString(group1) + Arrays.toString(group2);
    }

    private static void check(String name, int[] g) {
        if (g.length == 0) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        for (int k = 0; k < g.length; k++) {
            if (g[k] < 0 || (k > 0 && g[k] <= g[k - 1])) {
                throw new IllegalArgumentException(
                        name + " must be ascending non-negative indices, found " + Arrays.toString(g));
            }
        }
    }
}
