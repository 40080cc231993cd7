package io.hotpass.ingest.upload;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.hotpass.ingest.normalise.Normalisers;
import io.hotpass.ingest.profile.ColumnInference.ColumnMapping;
import io.hotpass.ingest.profile.Profile;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Turns one source record into a canonical row (JSON object in profile field order, its hash and
 * row id) or into quarantine issues. A field whose value cannot be normalised either sends the row
 * to quarantine or keeps the raw value and lists the field in {@code _flags}, per the profile.
 */
final class RowNormaliser {

    /** A cell that could not be normalised. */
    record Issue(String field, String raw, String reason) {
    }

    /** The outcome for one record: {@code json} and {@code hash} when stored, {@code issues} when quarantined. */
    record Outcome(String rowId, String json, String hash, List<Issue> issues, String rawJson) {
        boolean quarantined() {
            return json == null;
        }
    }

    private static final JsonFactory JSON = new JsonFactory();
    private final Profile profile;
    private final List<String> headers;
    private final int[] columnOf; // per profile field, the source column or -1
    private final Profile.Field[] fields;
    private final String[] names; // per profile field, its JSON member name and colon
    private final int countryField;
    private final int[] keyFields;
    private final MessageDigest sha;

    RowNormaliser(Profile profile, List<String> headers, List<ColumnMapping> mapping, List<String> rowKey) {
        this.profile = profile;
        this.headers = headers;
        this.fields = profile.fields().toArray(Profile.Field[]::new);
        this.columnOf = new int[fields.length];
        this.names = new String[fields.length];
        int country = -1;
        for (int f = 0; f < fields.length; f++) {
            columnOf[f] = -1;
            StringBuilder name = new StringBuilder();
            string(name, fields[f].name());
            names[f] = name.append(':').toString();
            for (ColumnMapping m : mapping) {
                if (fields[f].name().equals(m.field())) {
                    columnOf[f] = m.index();
                }
            }
            if ("country".equals(fields[f].type())) {
                country = f;
            }
        }
        this.countryField = country;
        this.keyFields = rowKey.stream().mapToInt(k -> profile.fieldNames().indexOf(k)).toArray();
        try {
            this.sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    Outcome normalise(List<String> cells) {
        Object[] values = new Object[fields.length];
        List<Issue> issues = null;
        List<String> flags = null;
        String region = profile.defaultRegion();
        if (countryField >= 0 && columnOf[countryField] >= 0) {
            String code = Normalisers.countryCode(cell(cells, columnOf[countryField]));
            if (code != null) {
                region = code;
            }
        }
        for (int f = 0; f < fields.length; f++) {
            if (columnOf[f] < 0) {
                continue;
            }
            String raw = cell(cells, columnOf[f]);
            Normalisers.Result r = Normalisers.normalise(fields[f], raw, region);
            if (r.ok()) {
                values[f] = r.value();
                if (r.value() == null && fields[f].required()) {
                    issues = add(issues, new Issue(fields[f].name(), raw, "missing_required"));
                }
            } else if (fields[f].quarantines()) {
                issues = add(issues, new Issue(fields[f].name(), raw, r.reason()));
            } else {
                values[f] = Normalisers.collapse(raw);
                flags = add(flags, fields[f].name() + ":" + r.reason());
            }
        }
        String rowId = null;
        if (keyFields.length > 0) {
            StringBuilder k = new StringBuilder();
            for (int i = 0; i < keyFields.length; i++) {
                Object v = values[keyFields[i]];
                if (v == null) {
                    if (issues == null || issues.stream().noneMatch(x -> x.field().equals(fields[keyFields[0]].name()))) {
                        issues = add(issues, new Issue(fields[keyFields[i]].name(), cell(cells, columnOf[keyFields[i]]),
                                "missing_row_key"));
                    }
                    break;
                }
                if (i > 0) {
                    k.append('|');
                }
                k.append(v);
            }
            rowId = k.toString();
        }
        if (issues != null) {
            return new Outcome(rowId, null, null, issues, rawJson(cells));
        }
        String json = json(values, flags);
        return new Outcome(rowId, json, hash(json), null, null);
    }

    String rawJson(List<String> cells) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            for (int i = 0; i < headers.size(); i++) {
                g.writeStringField(headers.get(i), i < cells.size() && cells.get(i) != null ? cells.get(i).replace("\0", "") : null);
            }
            if (cells.size() > headers.size()) {
                g.writeArrayFieldStart("_extra");
                for (int i = headers.size(); i < cells.size(); i++) {
                    g.writeString(cells.get(i).replace("\0", ""));
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /**
     * The canonical row as compact JSON, byte for byte what Jackson's generator writes for it (row
     * hashes of earlier versions were computed from Jackson's output and must still match), without
     * its per-row generator and synchronized writer: this runs for every stored row.
     */
    private String json(Object[] values, List<String> flags) {
        StringBuilder b = new StringBuilder(256).append('{');
        boolean first = true;
        for (int f = 0; f < fields.length; f++) {
            if (columnOf[f] < 0) {
                continue;
            }
            if (!first) {
                b.append(',');
            }
            first = false;
            b.append(names[f]);
            Object v = values[f];
            if (v == null) {
                b.append("null");
            } else if (v instanceof Long || v instanceof java.math.BigDecimal) {
                b.append(v);
            } else {
                string(b, v.toString());
            }
        }
        if (flags != null) {
            if (!first) {
                b.append(',');
            }
            b.append("\"_flags\":[");
            for (int i = 0; i < flags.size(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                string(b, flags.get(i));
            }
            b.append(']');
        }
        return b.append('}').toString();
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** A JSON string as Jackson escapes it by default: quote, backslash and control characters only. */
    static void string(StringBuilder b, String s) {
        b.append('"');
        int from = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            b.append(s, from, i).append('\\');
            switch (c) {
                case '"', '\\' -> b.append(c);
                case '\b' -> b.append('b');
                case '\t' -> b.append('t');
                case '\f' -> b.append('f');
                case '\n' -> b.append('n');
                case '\r' -> b.append('r');
                default -> b.append("u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
            from = i + 1;
        }
        b.append(s, from, s.length()).append('"');
    }

    private String hash(String json) {
        sha.reset();
        return HexFormat.of().formatHex(sha.digest(json.getBytes(StandardCharsets.UTF_8)), 0, 16);
    }

    private static String cell(List<String> cells, int i) {
        return i < cells.size() ? cells.get(i) : null;
    }

    private static <T> List<T> add(List<T> list, T item) {
        List<T> l = list == null ? new ArrayList<>(2) : list;
        l.add(item);
        return l;
    }
}
