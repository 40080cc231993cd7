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
            + " select ?, ?, t.id, ?, t.h, t.d from unnest(?::text[], ?::text[], ?::text[]) as t(id, h, d)";
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

    /**
     * Inserts the batch as rows of {@code version}; the two statements are the caller's, prepared once per
     * upload. The arrays are bound as Java arrays, which the driver sends in PostgreSQL's binary array
     * format: each element goes as its length and bytes. (As array literals, every quote inside the
     * rows' JSON had to be escaped here and unescaped again by {@code array_in}, a sixth of the
     * database's work in an upload.)
     */
    void insert(PreparedStatement rows, PreparedStatement quarantine, String tenant, UUID dataset, int version)
            throws SQLException {
        if (!ids.isEmpty()) {
            rows.setString(1, tenant);
            rows.setObject(2, dataset);
            rows.setInt(3, version);
            bindArrays(rows, 4, ids, hashes, data);
            rows.executeUpdate();
        }
        if (!qLines.isEmpty()) {
            quarantine.setString(1, tenant);
            quarantine.setObject(2, dataset);
            quarantine.setInt(3, version);
            quarantine.setObject(4, qLines.stream().mapToLong(Long::longValue).toArray());
            bindArrays(quarantine, 5, qFields, qRaws, qReasons, qRawRows);
            quarantine.executeUpdate();
        }
    }

    /** Binds each list as a {@code text[]} parameter, from {@code first} on. */
    @SafeVarargs
    static void bindArrays(PreparedStatement ps, int first, List<String>... columns) throws SQLException {
        for (int i = 0; i < columns.length; i++) {
            ps.setObject(first + i, columns[i].toArray(String[]::new));
        }
    }

    /** PostgreSQL text cannot hold NUL. */
    private static String text(String s) {
        return s == null || s.indexOf('\0') < 0 ? s : s.replace("\0", "");
    }
}
