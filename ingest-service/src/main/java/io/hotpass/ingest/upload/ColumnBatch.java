package io.hotpass.ingest.upload;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A batch of rows and quarantine entries of a first version, as column arrays that one
 * {@code insert … select … from unnest(…)} statement each writes straight into {@code dataset_row}
 * and {@code quarantine_row}. (COPY cannot write into tables with row-level security, and going
 * through a staging table made the database do the work twice, after the file had arrived; these
 * statements run while the next batches are still being read and normalised.)
 */
final class ColumnBatch {

    static final String ROWS = "insert into dataset_row (tenant_id, dataset_id, row_id, valid_from, row_hash, data)"
            + " select ?, ?, t.id, ?, t.h, t.d::jsonb from unnest(?::text[], ?::text[], ?::text[]) as t(id, h, d)";
    static final String QUARANTINE = "insert into quarantine_row (tenant_id, dataset_id, version, line, field, raw_value,"
            + " reason, raw_row) select ?, ?, ?, t.l, t.f, t.r, t.q, t.w::jsonb"
            + " from unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[]) as t(l, f, r, q, w)";

    private final List<String> ids = new ArrayList<>();
    private final List<String> hashes = new ArrayList<>();
    private final List<String> data = new ArrayList<>();
    private final List<Long> qLines = new ArrayList<>();
    private final List<String> qFields = new ArrayList<>();
    private final List<String> qRaws = new ArrayList<>();
    private final List<String> qReasons = new ArrayList<>();
    private final List<String> qRawRows = new ArrayList<>();

    void row(String id, String hash, String json) {
        ids.add(text(id));
        hashes.add(hash);
        data.add(text(json));
    }

    void quarantine(long line, String field, String raw, String reason, String rawRow) {
        qLines.add(line);
        qFields.add(text(field));
        qRaws.add(text(raw));
        qReasons.add(reason);
        qRawRows.add(text(rawRow));
    }

    /** Inserts the batch as rows of {@code version}; the two statements are the caller's, prepared once per upload. */
    void insert(PreparedStatement rows, PreparedStatement quarantine, String tenant, UUID dataset, int version)
            throws SQLException {
        if (!ids.isEmpty()) {
            rows.setString(1, tenant);
            rows.setObject(2, dataset);
            rows.setInt(3, version);
            rows.setString(4, literal(ids));
            rows.setString(5, literal(hashes));
            rows.setString(6, literal(data));
            rows.executeUpdate();
        }
        if (!qLines.isEmpty()) {
            quarantine.setString(1, tenant);
            quarantine.setObject(2, dataset);
            quarantine.setInt(3, version);
            quarantine.setString(4, qLines.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",", "{", "}")));
            quarantine.setString(5, literal(qFields));
            quarantine.setString(6, literal(qRaws));
            quarantine.setString(7, literal(qReasons));
            quarantine.setString(8, literal(qRawRows));
            quarantine.executeUpdate();
        }
    }

    /**
     * A PostgreSQL array literal of texts: {@code {"a","b\"c",NULL}}. The driver's own encoder
     * (createArrayOf) appends character by character and was a tenth of an upload's CPU; values
     * without a quote or backslash — nearly all — are appended whole.
     */
    static String literal(List<String> values) {
        int size = 2;
        for (String v : values) {
            size += v == null ? 5 : v.length() + 3;
        }
        StringBuilder b = new StringBuilder(size + 64).append('{');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            String v = values.get(i);
            if (v == null) {
                b.append("NULL");
                continue;
            }
            b.append('"');
            int from = 0;
            for (int j = 0; j < v.length(); j++) {
                char c = v.charAt(j);
                if (c == '"' || c == '\\') {
                    b.append(v, from, j).append('\\').append(c);
                    from = j + 1;
                }
            }
            b.append(v, from, v.length()).append('"');
        }
        return b.append('}').toString();
    }

    /** PostgreSQL text cannot hold NUL. */
    private static String text(String s) {
        return s == null || s.indexOf('\0') < 0 ? s : s.replace("\0", "");
    }
}
