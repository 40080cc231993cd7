package io.hotpass.contracts.engine;

/**
 * An open-addressing set of 64-bit hashes (linear probing, load factor at most 1/2): 16 bytes per
 * distinct value at worst, no boxing, no per-entry objects. Uniqueness and referential checks keep
 * hashes rather than values, so memory is bounded by the distinct count, not by value sizes. Two
 * different values with the same 64-bit hash are taken as equal; see ADR 0007 for the odds.
 */
public final class LongHashSet {

    private static final long EMPTY = 0L;
    private long[] table;
    private int size;
    private boolean hasZero;
    private int mask;

    public LongHashSet() {
        this(1024);
    }

    public LongHashSet(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        table = new long[cap];
        mask = cap - 1;
    }

    /** Adds {@code h}; returns true when it was not there yet. */
    public boolean add(long h) {
        if (h == EMPTY) {
            if (hasZero) {
                return false;
            }
            hasZero = true;
            size++;
            return true;
        }
        int i = (int) (Hashing.mix(h) & mask);
        while (true) {
            long cur = table[i];
            if (cur == EMPTY) {
                table[i] = h;
                if (++size * 2 > table.length) {
                    grow();
                }
                return true;
            }
            if (cur == h) {
                return false;
            }
            i = (i + 1) & mask;
        }
    }

    public boolean contains(long h) {
        if (h == EMPTY) {
            return hasZero;
        }
        int i = (int) (Hashing.mix(h) & mask);
        while (true) {
            long cur = table[i];
            if (cur == EMPTY) {
                return false;
            }
            if (cur == h) {
                return true;
            }
            i = (i + 1) & mask;
        }
    }

    public int size() {
        return size;
    }

    /** Bytes held by the table (for the bounded-memory claim and its test). */
    public long footprintBytes() {
        return (long) table.length * Long.BYTES;
    }

    private void grow() {
        long[] old = table;
        table = new long[old.length * 2];
        mask = table.length - 1;
        for (long h : old) {
            if (h != EMPTY) {
                int i = (int) (Hashing.mix(h) & mask);
                while (table[i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                table[i] = h;
            }
        }
    }
}
