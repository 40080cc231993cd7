package io.hotpass.contracts.spec;

/** The value types a contract field can declare. */
public enum FieldType {
    STRING, INTEGER, NUMBER, BOOLEAN, DATE, DATETIME;

    public static FieldType of(String s) {
        return valueOf(s.toUpperCase(java.util.Locale.ROOT));
    }

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean numeric() {
        return this == INTEGER || this == NUMBER;
    }

    public boolean temporal() {
        return this == DATE || this == DATETIME;
    }
}
