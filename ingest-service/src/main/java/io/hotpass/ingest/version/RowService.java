package io.hotpass.ingest.version;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.siegmar.fastcsv.writer.CsvWriter;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import de.siegmar.fastcsv.writer.LineDelimiter;
import io.hotpass.platform.http.Cursors;
import io.hotpass.platform.tenancy.TenantSession;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Reads the rows of any version: streamed (NDJSON, CSV) from a JDBC cursor with a fetch size, so
 * a million rows never sit in memory, or paged as JSON with an opaque cursor on the row id.
 */
@ApplicationScoped
public class RowService {

    static final int FETCH_SIZE = 2000;
    static final String ROWS_OF_VERSION = " from dataset_row where tenant_id = ? and dataset_id = ? and valid_from <= ?"
            + " and (valid_to is null or valid_to > ?)";
    private static final JsonFactory JSON = new JsonFactory();

    @Inject
    DataSource dataSource;

    @Inject
    VersionStore versions;

    @Inject
    ObjectMapper mapper;

    /** Streams the rows of version {@code n} as NDJSON: {@code {"_rowId": "...", field: value, ...}} per line. */
    public void ndjson(String tenant, UUID dataset, int n, OutputStream os) {
        stream(tenant, dataset, n, (rowId, data, out) -> {
            out.write("{\"_rowId\":");
            out.write(mapper.writeValueAsString(rowId));
            String body = data.substring(1).trim();
            if (!body.equals("}")) {
                out.write(',');
            }
            out.write(body);
            out.write('\n');
        }, os, null);
    }

    /** Streams the rows as CSV with {@code _rowId} and the version's columns; formula-like cells neutralised. */
    public void csv(String tenant, UUID dataset, int n, List<String> columns, OutputStream os) {
        Writer w = new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8), 64 * 1024);
        CsvWriter csv = CsvWriter.builder().lineDelimiter(LineDelimiter.CRLF).build(w);
        List<String> header = new ArrayList<>();
        header.add("_rowId");
        header.addAll(columns);
        csv.writeRecord(header);
        String[] cells = new String[header.size()];
        stream(tenant, dataset, n, (rowId, data, out) -> {
            java.util.Arrays.fill(cells, "");
            cells[0] = Neutraliser.cell(rowId);
            eachColumn(data, columns, (idx, t, p) -> cells[idx + 1] = Neutraliser.cell(p.getText()));
            csv.writeRecord(cells);
        }, os, w);
        try {
            csv.flush();
            w.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Streams the rows as an XLSX workbook (one sheet, {@code _rowId} and the version's columns).
     * SXSSF keeps a window of {@value #XLSX_WINDOW} rows in memory and spills the rest to a temporary
     * file, so heap stays flat for any row count; the zip is written once every row is in. Numbers
     * are number cells; text is neutralised like CSV so no cell is evaluated as a formula.
     */
    public void xlsx(String tenant, UUID dataset, int n, List<String> columns, OutputStream os) {
        SXSSFWorkbook wb = new SXSSFWorkbook(XLSX_WINDOW);
        wb.setCompressTempFiles(true);
        try {
            Sheet sheet = wb.createSheet("v" + n);
            Row head = sheet.createRow(0);
            head.createCell(0).setCellValue("_rowId");
            for (int i = 0; i < columns.size(); i++) {
                head.createCell(i + 1).setCellValue(columns.get(i));
            }
            int[] next = {1};
            stream(tenant, dataset, n, (rowId, data, out) -> {
                if (next[0] > XLSX_MAX_ROWS) {
                    throw new IllegalStateException("more rows than one XLSX sheet holds");
                }
                Row row = sheet.createRow(next[0]++);
                row.createCell(0).setCellValue(Neutraliser.cell(rowId));
                eachColumn(data, columns, (idx, t, p) -> {
                    if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                        row.createCell(idx + 1).setCellValue(p.getDoubleValue());
                    } else {
                        row.createCell(idx + 1).setCellValue(Neutraliser.cell(p.getText()));
                    }
                });
            }, os, Writer.nullWriter());
            wb.write(os);
            os.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            wb.dispose();
            try {
                wb.close();
            } catch (IOException ignored) {
                // temp files are already disposed
            }
        }
    }

    /** Receives one scalar, non-null value of a version column: its index in {@code columns}, type and parser. */
    @FunctionalInterface
    interface ColumnValue {
        void accept(int column, JsonToken type, JsonParser value) throws IOException;
    }

    /** Walks a row's JSON once, handing each scalar non-null value of a listed column to {@code each}. */
    private static void eachColumn(String data, List<String> columns, ColumnValue each) throws IOException {
        try (JsonParser p = JSON.createParser(data)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                int idx = columns.indexOf(p.currentName());
                JsonToken t = p.nextToken();
                if (t == JsonToken.START_ARRAY || t == JsonToken.START_OBJECT) {
                    p.skipChildren();
                } else if (idx >= 0 && t != JsonToken.VALUE_NULL) {
                    each.accept(idx, t, p);
                }
            }
        }
    }

    /** Rows SXSSF keeps in memory while writing an XLSX export. */
    static final int XLSX_WINDOW = 200;
    /** Rows one sheet holds (Excel's limit, less the header). */
    static final int XLSX_MAX_ROWS = 1_048_575;

    /** One page of rows (JSON), ordered by row id; {@code cursor} is the opaque token of the last row of the previous page. */
    public Map<String, Object> page(String tenant, UUID dataset, int n, int limit, String cursor) {
        String after = null;
        if (cursor != null) {
            after = Cursors.decode(cursor, 1, p -> p[0]);
        }
        List<Map<String, Object>> items = new ArrayList<>();
        String last = null;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                TenantSession.apply(c, tenant);
                versions.get(c, tenant, dataset, n);
                try (PreparedStatement ps = c.prepareStatement("select row_id, data::text" + ROWS_OF_VERSION
                        + (after == null ? "" : " and row_id > ?") + " order by row_id limit ?")) {
                    ps.setString(1, tenant);
                    ps.setObject(2, dataset);
                    ps.setInt(3, n);
                    ps.setInt(4, n);
                    int i = 5;
                    if (after != null) {
                        ps.setString(i++, after);
                    }
                    ps.setInt(i, limit + 1);
                    try (ResultSet rs = ps.executeQuery()) {
                        boolean more = false;
                        while (rs.next()) {
                            if (items.size() == limit) {
                                more = true;
                                break;
                            }
                            Map<String, Object> row = new LinkedHashMap<>();
                            row.put("_rowId", rs.getString(1));
                            JsonNode data = mapper.readTree(rs.getString(2));
                            data.fields().forEachRemaining(e -> row.put(e.getKey(), e.getValue()));
                            items.add(row);
                            last = rs.getString(1);
                        }
                        Map<String, Object> out = new LinkedHashMap<>();
                        out.put("items", items);
                        out.put("nextCursor", more ? Cursors.encode(last) : null);
                        return out;
                    }
                }
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("Rows could not be read", e);
        }
    }

    /** Checks the version exists (404 otherwise) and answers it, before a streamed response starts. */
    public VersionView version(String tenant, UUID dataset, int n) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                TenantSession.apply(c, tenant);
                versions.dataset(c, tenant, dataset, false);
                return versions.get(c, tenant, dataset, n);
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Version could not be read", e);
        }
    }

    @FunctionalInterface
    interface RowWriter {
        void write(String rowId, String data, Writer out) throws IOException;
    }

    private void stream(String tenant, UUID dataset, int n, RowWriter rw, OutputStream os, Writer given) {
        Writer w = given != null ? given : new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8), 64 * 1024);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false); // a cursor with a fetch size needs a transaction
            try {
                TenantSession.apply(c, tenant);
                try (PreparedStatement ps = c.prepareStatement("select row_id, data::text" + ROWS_OF_VERSION + " order by row_id")) {
                    ps.setFetchSize(FETCH_SIZE);
                    ps.setString(1, tenant);
                    ps.setObject(2, dataset);
                    ps.setInt(3, n);
                    ps.setInt(4, n);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            rw.write(rs.getString(1), rs.getString(2), w);
                        }
                    }
                }
                w.flush();
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Rows could not be read", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Quarantined rows of a version, paged by line. */
    public Map<String, Object> quarantine(String tenant, UUID dataset, int n, int limit, String cursor) {
        long afterLine = -1;
        if (cursor != null) {
            afterLine = Cursors.decode(cursor, 1, p -> Long.parseLong(p[0]));
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                TenantSession.apply(c, tenant);
                versions.dataset(c, tenant, dataset, false);
                versions.get(c, tenant, dataset, n);
                // Page by whole lines: a row with several bad fields is listed once per field, on one page.
                try (PreparedStatement ps = c.prepareStatement("select line, field, raw_value, reason, raw_row::text"
                        + " from quarantine_row where tenant_id = ? and dataset_id = ? and version = ? and line in"
                        + " (select distinct line from quarantine_row where tenant_id = ? and dataset_id = ? and version = ?"
                        + " and line > ? order by line limit ?) order by line, field")) {
                    ps.setString(1, tenant);
                    ps.setObject(2, dataset);
                    ps.setInt(3, n);
                    ps.setString(4, tenant);
                    ps.setObject(5, dataset);
                    ps.setInt(6, n);
                    ps.setLong(7, afterLine);
                    ps.setInt(8, limit + 1);
                    List<Map<String, Object>> items = new ArrayList<>();
                    List<Long> lines = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            long line = rs.getLong(1);
                            if (!lines.contains(line)) {
                                lines.add(line);
                            }
                            if (lines.size() > limit) {
                                break;
                            }
                            Map<String, Object> m = new LinkedHashMap<>();
                            m.put("line", line);
                            m.put("field", rs.getString(2));
                            m.put("rawValue", rs.getString(3));
                            m.put("reason", rs.getString(4));
                            m.put("rawRow", rs.getString(5) == null ? null : mapper.readTree(rs.getString(5)));
                            items.add(m);
                        }
                    }
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("items", items);
                    out.put("nextCursor", lines.size() > limit ? Cursors.encode(lines.get(limit - 1)) : null);
                    return out;
                }
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("Quarantine could not be read", e);
        }
    }
}
