package io.hotpass.enrichment.resolution;

import java.util.Arrays;

/** Compared record pairs and their comparison patterns, in primitive arrays (millions fit in little heap). */
final class CandidatePairs {
    private int[] a = new int[1024];
    private int[] b = new int[1024];
    private short[] pattern = new short[1024];
    private int size;

    void add(int left, int right, int p) {
        if (size == a.length) {
            int n = a.length * 2;
            a = Arrays.copyOf(a, n);
            b = Arrays.copyOf(b, n);
            pattern = Arrays.copyOf(pattern, n);
        }
        a[size] = left;
        b[size] = right;
        pattern[size] = (short) p;
        size++;
    }

    int size() {
        return size;
    }

    int left(int i) {
        return a[i];
    }

    int right(int i) {
        return b[i];
    }

    int pattern(int i) {
        return pattern[i];
    }
}
