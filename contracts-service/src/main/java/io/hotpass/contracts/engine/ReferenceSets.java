package io.hotpass.contracts.engine;

/**
 * Supplies the hashed values of another dataset's column for {@code referential} expectations
 * (built before the pass, by streaming that dataset's current version once).
 */
@FunctionalInterface
public interface ReferenceSets {

    /** The hashes ({@link Hashing#hash}) of the non-empty values of {@code column} in {@code dataset}, or null if unknown. */
    LongHashSet values(String dataset, String column);
}
