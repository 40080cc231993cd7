package io.hotpass.contracts.spec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * Whether data that passed the previous version still passes the new one, and readers of the old
 * shape can read the new one. A break is anything that can turn a passing row into a failing one
 * or take away something consumers rely on: a removed or retyped field, an optional field made
 * required, a new required field, a narrowed enum, range or length, a new or changed pattern or
 * format, a new uniqueness rule. Avro's own {@link SchemaCompatibility} checks the exported
 * schemas too (new schema reading data written with the old one), so the Avro view of a break is
 * reported by Avro itself.
 */
public final class Compatibility {

    /** One breaking change. {@code kind} is stable and machine-readable. */
    public record Break(String kind, String field, String detail) {
    }

    private Compatibility() {
    }

    public static List<Break> check(ContractDocument old, ContractDocument neu) {
        List<Break> breaks = new ArrayList<>();
        for (FieldSpec o : old.fields().values()) {
            FieldSpec n = neu.fields().get(o.name());
            String at = "fields." + o.name();
            if (n == null) {
                breaks.add(new Break("field_removed", at, "field '" + o.name() + "' was removed"));
                continue;
            }
            if (o.type() != n.type()) {
                breaks.add(new Break("field_retyped", at + ".type", o.type().wire() + " became " + n.type().wire()));
                continue;
            }
            if (!o.required() && n.required()) {
                breaks.add(new Break("field_made_required", at + ".required", "an optional field became required"));
            }
            if (!o.unique() && n.unique()) {
                breaks.add(new Break("unique_added", at + ".unique", "values must now be unique"));
            }
            if (n.enumValues() != null) {
                if (o.enumValues() == null) {
                    breaks.add(new Break("enum_narrowed", at + ".enum", "an enumeration was added"));
                } else {
                    Set<String> removed = new HashSet<>(o.enumValues());
                    removed.removeAll(n.enumValues());
                    if (!removed.isEmpty()) {
                        breaks.add(new Break("enum_narrowed", at + ".enum", "values no longer allowed: "
                                + removed.stream().sorted().toList()));
                    }
                }
            }
            if (n.min() != null && (o.min() == null || n.min().compareTo(n.type(), o.min()) > 0)) {
                breaks.add(new Break("range_narrowed", at + ".min", "minimum " + (o.min() == null ? "added" : "raised from "
                        + o.min().text()) + " to " + n.min().text()));
            }
            if (n.max() != null && (o.max() == null || n.max().compareTo(n.type(), o.max()) < 0)) {
                breaks.add(new Break("range_narrowed", at + ".max", "maximum " + (o.max() == null ? "added" : "lowered from "
                        + o.max().text()) + " to " + n.max().text()));
            }
            if (n.minLength() != null && (o.minLength() == null || n.minLength() > o.minLength())) {
                breaks.add(new Break("length_narrowed", at + ".minLength", "minimum length raised to " + n.minLength()));
            }
            if (n.maxLength() != null && (o.maxLength() == null || n.maxLength() < o.maxLength())) {
                breaks.add(new Break("length_narrowed", at + ".maxLength", "maximum length lowered to " + n.maxLength()));
            }
            if (n.pattern() != null && !n.pattern().equals(o.pattern())) {
                breaks.add(new Break("pattern_changed", at + ".pattern", o.pattern() == null ? "a pattern was added"
                        : "the pattern changed (a changed regular expression may reject values the old one accepted)"));
            }
            if (n.format() != null && !n.format().equals(o.format())) {
                breaks.add(new Break("format_changed", at + ".format", "format " + (o.format() == null ? "added: " : "changed to ")
                        + n.format()));
            }
        }
        for (FieldSpec n : neu.fields().values()) {
            if (!old.fields().containsKey(n.name()) && n.required()) {
                breaks.add(new Break("required_field_added", "fields." + n.name(), "a new field is required"));
            }
        }
        Schema reader = AvroExport.of(neu);
        Schema writer = AvroExport.of(old);
        SchemaCompatibility.SchemaPairCompatibility avro = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (avro.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            for (SchemaCompatibility.Incompatibility i : avro.getResult().getIncompatibilities()) {
                breaks.add(new Break("avro_" + i.getType().name().toLowerCase(java.util.Locale.ROOT),
                        "avro:" + i.getLocation(), i.getMessage()));
            }
        }
        return breaks;
    }

    /** Whether a version moves to a higher major than another, which is what allows breaking changes. */
    public static boolean majorBump(String from, String to) {
        return Integer.parseInt(to.split("\\.")[0]) > Integer.parseInt(from.split("\\.")[0]);
    }

    static boolean same(Object a, Object b) {
        return Objects.equals(a, b);
    }

    static Map<String, FieldSpec> fields(ContractDocument d) {
        return d.fields();
    }
}
