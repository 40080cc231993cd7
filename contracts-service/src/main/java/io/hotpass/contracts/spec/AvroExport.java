package io.hotpass.contracts.spec;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * A contract version as an Avro record schema: one field per contract field; optional fields are
 * {@code ["null", T]} with default null. integer → long, number → double, date → int/date,
 * datetime → long/timestamp-millis. Constraints Avro cannot express (pattern, enum of free text,
 * ranges) travel as field properties ({@code hotpass.pattern}, …) so nothing is silently lost.
 */
public final class AvroExport {

    private AvroExport() {
    }

    public static Schema of(ContractDocument c) {
        List<Schema.Field> fields = new ArrayList<>();
        for (FieldSpec f : c.fields().values()) {
            Schema t = switch (f.type()) {
                case STRING -> Schema.create(Schema.Type.STRING);
                case INTEGER -> Schema.create(Schema.Type.LONG);
                case NUMBER -> Schema.create(Schema.Type.DOUBLE);
                case BOOLEAN -> Schema.create(Schema.Type.BOOLEAN);
                case DATE -> LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
                case DATETIME -> LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
            };
            Schema.Field field;
            if (f.required()) {
                field = new Schema.Field(avroName(f.name()), t, f.description(), (Object) null);
            } else {
                field = new Schema.Field(avroName(f.name()), Schema.createUnion(Schema.create(Schema.Type.NULL), t),
                        f.description(), JsonProperties.NULL_VALUE);
            }
            if (!field.name().equals(f.name())) {
                field.addProp("hotpass.name", f.name());
            }
            if (f.pattern() != null) {
                field.addProp("hotpass.pattern", f.pattern());
            }
            if (f.format() != null) {
                field.addProp("hotpass.format", f.format());
            }
            if (f.enumValues() != null) {
                field.addProp("hotpass.enum", f.enumValues());
            }
            if (f.min() != null) {
                field.addProp("hotpass.min", f.min().text());
            }
            if (f.max() != null) {
                field.addProp("hotpass.max", f.max().text());
            }
            if (f.unique()) {
                field.addProp("hotpass.unique", true);
            }
            fields.add(field);
        }
        Schema record = Schema.createRecord(avroName(c.name()), c.description(), "io.hotpass.contracts", false, fields);
        record.addProp("hotpass.contract", c.name());
        record.addProp("hotpass.version", c.version());
        record.addProp("hotpass.dataset", c.dataset());
        return record;
    }

    /** Avro names are [A-Za-z_][A-Za-z0-9_]*: other characters become '_'. */
    static String avroName(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            boolean ok = ch == '_' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (i > 0 && ch >= '0' && ch <= '9');
            b.append(ok ? ch : '_');
        }
        return b.toString();
    }
}
