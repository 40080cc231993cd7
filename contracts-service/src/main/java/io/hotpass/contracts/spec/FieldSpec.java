package io.hotpass.contracts.spec;

import java.util.List;

/**
 * One declared field of a contract. Bounds ({@code min}/{@code max}) keep the text they were written
 * with; {@link Bound} compares them by the field's type (numbers for numeric fields, ISO dates or
 * date-times for temporal ones).
 */
public record FieldSpec(String name, FieldType type, String description, boolean required, boolean unique,
        String pattern, List<String> enumValues, Bound min, Bound max, Integer minLength, Integer maxLength,
        String format, Severity severity, double mostly) {
}
