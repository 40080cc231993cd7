package io.hotpass.contracts.spec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;

/**
 * A contract version as a JSON Schema (2020-12) of one row. Optional fields also accept null.
 * Formats map to JSON Schema formats (email, uri, date, date-time; E.164 becomes a pattern);
 * patterns are carried as written (RE2 syntax, which for the usual constructs is also ECMA-262).
 */
public final class JsonSchemaExport {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private JsonSchemaExport() {
    }

    public static ObjectNode of(ContractDocument c, String id) {
        ObjectNode s = F.objectNode();
        s.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        s.put("$id", id);
        s.put("title", c.name() + " " + c.version());
        if (c.description() != null) {
            s.put("description", c.description());
        }
        s.put("type", "object");
        ObjectNode props = s.putObject("properties");
        ArrayNode required = F.arrayNode();
        for (FieldSpec f : c.fields().values()) {
            ObjectNode p = props.putObject(f.name());
            String base = switch (f.type()) {
                case STRING, DATE, DATETIME -> "string";
                case INTEGER -> "integer";
                case NUMBER -> "number";
                case BOOLEAN -> "boolean";
            };
            if (f.required()) {
                p.put("type", base);
                required.add(f.name());
            } else {
                p.putArray("type").add(base).add("null");
            }
            if (f.description() != null) {
                p.put("description", f.description());
            }
            if (f.type() == FieldType.DATE) {
                p.put("format", "date");
            } else if (f.type() == FieldType.DATETIME) {
                p.put("format", "date-time");
            }
            if (f.format() != null) {
                switch (f.format()) {
                    case "email" -> p.put("format", "email");
                    case "url" -> p.put("format", "uri");
                    case "iso-date" -> p.put("format", "date");
                    case "e164" -> p.put("pattern", "^\\+[1-9][0-9]{1,14}$");
                    default -> { }
                }
            }
            if (f.pattern() != null) {
                if (p.has("pattern")) {
                    p.putArray("allOf").addObject().put("pattern", f.pattern());
                } else {
                    p.put("pattern", f.pattern());
                }
            }
            if (f.enumValues() != null) {
                ArrayNode e = p.putArray("enum");
                for (String v : f.enumValues()) {
                    if (f.type() == FieldType.INTEGER || f.type() == FieldType.NUMBER) {
                        e.add(new BigDecimal(v));
                    } else {
                        e.add(v);
                    }
                }
                if (!f.required()) {
                    e.addNull();
                }
            }
            if (f.type().numeric()) {
                if (f.min() != null) {
                    p.put("minimum", new BigDecimal(f.min().text()));
                }
                if (f.max() != null) {
                    p.put("maximum", new BigDecimal(f.max().text()));
                }
            } else if (f.min() != null || f.max() != null) {
                // JSON Schema has no ordering for date strings: keep the bounds as annotations.
                if (f.min() != null) {
                    p.put("x-hotpass-min", f.min().text());
                }
                if (f.max() != null) {
                    p.put("x-hotpass-max", f.max().text());
                }
            }
            if (f.minLength() != null) {
                p.put("minLength", f.minLength());
            }
            if (f.maxLength() != null) {
                p.put("maxLength", f.maxLength());
            }
        }
        if (!required.isEmpty()) {
            s.set("required", required);
        }
        return s;
    }
}
