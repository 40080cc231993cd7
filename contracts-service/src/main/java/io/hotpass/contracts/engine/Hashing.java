package io.hotpass.contracts.engine;

/**
 * 64-bit hashes of cell values for uniqueness and membership: FNV-1a over the UTF-16 code units,
 * finished with MurmurHash3's fmix64 so every input bit reaches every output bit. Not
 * cryptographic; with n distinct values the chance of any collision is about n²/2⁶⁵
 * (≈ 3·10⁻⁸ at one million values).
 */
public final class Hashing {

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private Hashing() {
    }

    public static long hash(CharSequence s) {
        long h = FNV_OFFSET;
        for (int i = 0, n = s.length(); i < n; i++) {
            h ^= s.charAt(i);
            h *= FNV_PRIME;
        }
        return mix(h ^ s.length());
    }

    /** Combines the hash so far with the next column's hash (order matters: (a,b) differs from (b,a)). */
    public static long combine(long acc, long next) {
        return mix(acc * 31 + next + 0x9e3779b97f4a7c15L);
    }

    public static long mix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
