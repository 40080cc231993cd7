package io.hotpass.contracts.spec;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** A min/max bound of a field, parsed for the field's type. */
public record Bound(String text, double number, long epochDayOrMilli) {

    /** Parses {@code text} for a field of {@code type}; throws IllegalArgumentException with a reason. */
    public static Bound parse(FieldType type, String text) {
        switch (type) {
            case INTEGER, NUMBER -> {
                try {
                    return new Bound(text, new BigDecimal(text).doubleValue(), 0);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("must be a number for a " + type.wire() + " field");
                }
            }
            case DATE -> {
                try {
                    return new Bound(text, 0, LocalDate.parse(text).toEpochDay());
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("must be an ISO date (YYYY-MM-DD) for a date field");
                }
            }
            case DATETIME -> {
                try {
                    return new Bound(text, 0, parseDateTime(text).toEpochMilli());
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("must be an ISO date-time with offset for a datetime field");
                }
            }
            default -> throw new IllegalArgumentException("min/max apply to integer, number, date and datetime fields");
        }
    }

    static Instant parseDateTime(String s) {
        return OffsetDateTime.parse(s).toInstant();
    }

    /** Compares two bounds of the same field type. */
    public int compareTo(FieldType type, Bound o) {
        return type.numeric() ? Double.compare(number, o.number) : Long.compare(epochDayOrMilli, o.epochDayOrMilli);
    }
}
