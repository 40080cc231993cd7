package io.hotpass.contracts.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.hotpass.platform.problem.ProblemException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads a contract from YAML or JSON, checks it against the format's own JSON Schema
 * ({@code contract.schema.json}, the file published as docs/reference/contract.schema.json), then
 * checks what a schema cannot (patterns compile in RE2 syntax, bounds fit the field's type, min is
 * not above max, expectations name declared fields). Every problem names its path; nothing about
 * a contract is trusted before this returns.
 */
public final class ContractParser {

    public static final String SCHEMA_RESOURCE = "contract.schema.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML;

    static {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(20); // no "billion laughs"
        options.setAllowDuplicateKeys(false);
        options.setCodePointLimit(4 * 1024 * 1024);
        YAML = new YAMLMapper(YAMLFactory.builder().loaderOptions(options).build());
    }

    private final Schema schema;

    public ContractParser() {
        try (InputStream in = ContractParser.class.getClassLoader().getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Missing " + SCHEMA_RESOURCE + " on the class path");
            }
            JsonNode schemaNode = JSON.readTree(in);
            this.schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schemaNode);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The raw tree of a YAML or JSON document; 400 {@code malformed_contract} when it does not parse. */
    public static ObjectNode readTree(String text, boolean yaml) {
        JsonNode node;
        try {
            node = (yaml ? YAML : JSON).readTree(text == null ? "" : text);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String where = loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
            throw new ProblemException(400, "malformed_contract", "Malformed contract",
                    "The contract is not valid " + (yaml ? "YAML" : "JSON") + where)
                    .with("errors", List.of(Map.of("field", "body", "reason", "not valid " + (yaml ? "YAML" : "JSON") + where)));
        } catch (RuntimeException e) { // SnakeYAML limits (aliases, size) surface as unchecked exceptions
            throw new ProblemException(400, "malformed_contract", "Malformed contract",
                    "The contract could not be read as YAML").with("errors",
                    List.of(Map.of("field", "body", "reason", "not readable YAML (limits on aliases and size apply)")));
        }
        if (node == null || !node.isObject()) {
            throw new ProblemException(400, "malformed_contract", "Malformed contract",
                    "The contract must be a " + (yaml ? "YAML mapping" : "JSON object"))
                    .with("errors", List.of(Map.of("field", "body", "reason", "must be an object")));
        }
        return (ObjectNode) node;
    }

    public ContractDocument parse(String text, boolean yaml) {
        return parse(readTree(text, yaml));
    }

    /** Checks a parsed tree and builds the document; 422 {@code invalid_contract} listing each problem. */
    public ContractDocument parse(ObjectNode tree) {
        List<Error> errors = schema.validate(tree);
        if (!errors.isEmpty()) {
            Map<String, String> byField = new TreeMap<>();
            for (Error e : errors) {
                byField.putIfAbsent(field(e), reason(e));
            }
            throw invalid(byField);
        }
        Map<String, String> problems = new TreeMap<>();
        Map<String, FieldSpec> fields = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = tree.get("fields").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            FieldSpec f = field(e.getKey(), e.getValue(), problems);
            if (f != null) {
                fields.put(f.name(), f);
            }
        }
        List<ExpectationSpec> expectations = new ArrayList<>();
        JsonNode ex = tree.path("expectations");
        for (int i = 0; i < ex.size(); i++) {
            ExpectationSpec s = expectation("expectations[" + i + "]", ex.get(i), fields, problems);
            if (s != null) {
                expectations.add(s);
            }
        }
        DriftSpec drift = drift(tree.path("drift"), fields, problems);
        if (!problems.isEmpty()) {
            throw invalid(problems);
        }
        return new ContractDocument(tree.get("name").asText(), tree.get("version").asText(), tree.get("dataset").asText(),
                text(tree, "owner"), text(tree, "description"), fields, expectations, drift);
    }

    private static FieldSpec field(String name, JsonNode n, Map<String, String> problems) {
        String at = "fields." + name;
        FieldType type = FieldType.of(n.get("type").asText());
        String pattern = text(n, "pattern");
        if (pattern != null) {
            if (type != FieldType.STRING) {
                problems.put(at + ".pattern", "pattern applies to string fields");
            } else {
                try {
                    Pattern.compile(pattern);
                } catch (PatternSyntaxException e) {
                    problems.put(at + ".pattern", "does not compile as an RE2 regular expression (no backreferences"
                            + " or lookaround): " + e.getDescription());
                }
            }
        }
        String format = text(n, "format");
        if (format != null && type != FieldType.STRING) {
            problems.put(at + ".format", "format applies to string fields");
        }
        Integer minLength = n.has("minLength") ? n.get("minLength").asInt() : null;
        Integer maxLength = n.has("maxLength") ? n.get("maxLength").asInt() : null;
        if ((minLength != null || maxLength != null) && type != FieldType.STRING) {
            problems.put(at + (minLength != null ? ".minLength" : ".maxLength"), "lengths apply to string fields");
        }
        if (minLength != null && maxLength != null && minLength > maxLength) {
            problems.put(at + ".minLength", "is greater than maxLength");
        }
        Bound min = bound(type, n, "min", at, problems);
        Bound max = bound(type, n, "max", at, problems);
        if (min != null && max != null && min.compareTo(type, max) > 0) {
            problems.put(at + ".min", "is greater than max");
        }
        List<String> enumValues = null;
        if (n.has("enum")) {
            enumValues = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            int i = 0;
            for (JsonNode v : n.get("enum")) {
                if (type.numeric() && !v.isNumber()) {
                    problems.put(at + ".enum[" + i + "]", "must be a number for a " + type.wire() + " field");
                }
                i++;
                if (seen.add(v.asText())) {
                    enumValues.add(v.asText());
                }
            }
        }
        return new FieldSpec(name, type, text(n, "description"), n.path("required").asBoolean(false),
                n.path("unique").asBoolean(false), pattern, enumValues == null ? null : List.copyOf(enumValues), min, max,
                minLength, maxLength, format, Severity.of(text(n, "severity")), n.path("mostly").asDouble(1.0));
    }

    private static Bound bound(FieldType type, JsonNode n, String key, String at, Map<String, String> problems) {
        if (!n.has(key)) {
            return null;
        }
        try {
            return Bound.parse(type, n.get(key).asText());
        } catch (IllegalArgumentException e) {
            problems.put(at + "." + key, e.getMessage());
            return null;
        }
    }

    private static ExpectationSpec expectation(String at, JsonNode n, Map<String, FieldSpec> fields,
            Map<String, String> problems) {
        String kind = n.get("type").asText();
        List<String> columns = new ArrayList<>();
        if (n.has("columns")) {
            n.get("columns").forEach(c -> columns.add(c.asText()));
        } else if (n.has("column")) {
            columns.add(n.get("column").asText());
        }
        for (int i = 0; i < columns.size(); i++) {
            if (!fields.containsKey(columns.get(i))) {
                problems.put(at + (n.has("columns") ? ".columns[" + i + "]" : ".column"),
                        "'" + columns.get(i) + "' is not a declared field");
            }
        }
        if ("freshness".equals(kind) && fields.containsKey(columns.get(0)) && !fields.get(columns.get(0)).type().temporal()) {
            problems.put(at + ".column", "freshness needs a date or datetime field");
        }
        Long min = n.has("min") && "row_count".equals(kind) ? n.get("min").asLong() : null;
        Long max = n.has("max") && "row_count".equals(kind) ? n.get("max").asLong() : null;
        if (min != null && max != null && min > max) {
            problems.put(at + ".min", "is greater than max");
        }
        return new ExpectationSpec(kind, text(n, "name"), List.copyOf(columns), min, max,
                n.has("maxAgeDays") ? n.get("maxAgeDays").asInt() : null,
                "null_fraction".equals(kind) ? n.get("max").asDouble() : null,
                text(n, "refDataset"), text(n, "refColumn"), Severity.of(text(n, "severity")),
                n.path("mostly").asDouble(1.0));
    }

    private static DriftSpec drift(JsonNode n, Map<String, FieldSpec> fields, Map<String, String> problems) {
        if (n.isMissingNode()) {
            return DriftSpec.defaults();
        }
        List<String> columns = new ArrayList<>();
        JsonNode cols = n.path("columns");
        for (int i = 0; i < cols.size(); i++) {
            String c = cols.get(i).asText();
            if (!fields.containsKey(c)) {
                problems.put("drift.columns[" + i + "]", "'" + c + "' is not a declared field");
            }
            columns.add(c);
        }
        JsonNode b = n.path("baseline");
        return new DriftSpec(b.isInt() ? b.asInt() : null, n.path("psi").asDouble(DriftSpec.DEFAULT_PSI),
                n.path("quantileShift").asDouble(DriftSpec.DEFAULT_QUANTILE_SHIFT), List.copyOf(columns));
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** The instance location (a JSON Pointer, "/fields/email/type"), plus the missing or extra member, as "fields.email.type". */
    static String field(Error e) {
        String loc = e.getInstanceLocation() == null ? "" : e.getInstanceLocation().toString();
        StringBuilder out = new StringBuilder();
        for (String seg : loc.split("/")) {
            if (seg.isEmpty() || seg.equals("$")) {
                continue;
            }
            seg = seg.replace("~1", "/").replace("~0", "~");
            if (seg.chars().allMatch(Character::isDigit) && out.length() > 0) {
                out.append('[').append(seg).append(']');
            } else {
                out.append(out.length() == 0 ? "" : ".").append(seg);
            }
        }
        String prop = e.getProperty();
        if (prop != null && ("required".equals(e.getKeyword()) || "additionalProperties".equals(e.getKeyword()))) {
            out.append(out.length() == 0 ? "" : ".").append(prop);
        }
        return out.length() == 0 ? "body" : out.toString();
    }

    static String reason(Error e) {
        String m = e.getMessage() == null ? "is invalid" : e.getMessage();
        // networknt prefixes the instance location; the field is reported separately.
        return m.replaceFirst("^\\$[^:]*:\\s*", "");
    }

    private static ProblemException invalid(Map<String, String> byField) {
        List<Map<String, String>> list = new ArrayList<>();
        byField.forEach((f, r) -> list.add(Map.of("field", f, "reason", r)));
        String detail = String.join("; ", list.stream().limit(5).map(m -> m.get("field") + ": " + m.get("reason")).toList());
        return new ProblemException(422, "invalid_contract", "Invalid contract", detail).with("errors", list);
    }
}
