package io.hotpass.ingest.upload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import io.hotpass.platform.problem.ProblemException;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The records of an upload, whatever its format: a header (column names) and an iterator of
 * records with their source line. CSV comes from FastCSV; NDJSON is one JSON object per line,
 * whose columns are the keys of the first {@value #NDJSON_HEADER_LINES} objects in order of first
 * appearance (keys first seen later are ignored, like unmapped columns).
 */
final class RecordSource implements AutoCloseable {

    static final int NDJSON_HEADER_LINES = 50;

    /** One record; {@code reason} is set (and {@code fields} null) for a line that is not a record. */
    record Rec(long line, List<String> fields, String reason, String raw) {
    }

    final List<String> headers;
    final Iterator<Rec> records;
    private final AutoCloseable closer;

    private RecordSource(List<String> headers, Iterator<Rec> records, AutoCloseable closer) {
        this.headers = headers;
        this.records = records;
        this.closer = closer;
    }

    /** Records from any other reader (XLSX): the header, the records and what to close after them. */
    static RecordSource of(List<String> headers, Iterator<Rec> records, AutoCloseable closer) {
        return new RecordSource(headers, records, closer);
    }

    static RecordSource csv(CsvReader<CsvRecord> reader) {
        Iterator<CsvRecord> it = reader.iterator();
        if (!it.hasNext()) {
            throw new ProblemException(422, "empty_file", "Empty file", "The file has no header line and no rows");
        }
        List<String> headers = it.next().getFields();
        Iterator<Rec> recs = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Rec next() {
                CsvRecord r = it.next();
                return new Rec(r.getStartingLineNumber(), r.getFields(), null, null);
            }
        };
        return new RecordSource(headers, recs, reader);
    }

    static RecordSource ndjson(Reader reader, ObjectMapper json, int maxColumns, int maxLineChars) throws IOException {
        LineReader lines = new LineReader(reader, maxLineChars);
        List<Object[]> buffered = new ArrayList<>(); // {line, JsonNode or raw String}
        Set<String> keys = new LinkedHashSet<>();
        while (buffered.size() < NDJSON_HEADER_LINES) {
            String l = lines.next();
            if (l == null) {
                break;
            }
            if (l.isBlank()) {
                continue;
            }
            JsonNode n = parse(json, l);
            if (n != null) {
                n.fieldNames().forEachRemaining(keys::add);
                if (keys.size() > maxColumns) {
                    throw new ProblemException(422, "too_many_columns", "Too many columns",
                            "The objects have more than " + maxColumns + " distinct keys");
                }
                buffered.add(new Object[] {lines.lineNumber, n});
            } else {
                buffered.add(new Object[] {lines.lineNumber, l});
            }
        }
        if (buffered.isEmpty()) {
            throw new ProblemException(422, "empty_file", "Empty file", "The file has no JSON lines");
        }
        List<String> headers = List.copyOf(keys);
        Iterator<Object[]> first = buffered.iterator();
        Iterator<Rec> recs = new Iterator<>() {
            Rec next;

            @Override
            public boolean hasNext() {
                if (next != null) {
                    return true;
                }
                if (first.hasNext()) {
                    Object[] b = first.next();
                    next = rec((Long) b[0], b[1]);
                    return true;
                }
                try {
                    String l;
                    do {
                        l = lines.next();
                    } while (l != null && l.isBlank());
                    if (l == null) {
                        return false;
                    }
                    JsonNode n = parse(json, l);
                    next = rec(lines.lineNumber, n != null ? n : l);
                    return true;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public Rec next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Rec r = next;
                next = null;
                return r;
            }

            private Rec rec(long line, Object o) {
                if (o instanceof String raw) {
                    return new Rec(line, null, "invalid_json", raw.length() > 1000 ? raw.substring(0, 1000) : raw);
                }
                JsonNode n = (JsonNode) o;
                List<String> fields = new ArrayList<>(headers.size());
                for (String h : headers) {
                    JsonNode v = n.get(h);
                    fields.add(v == null || v.isNull() ? null : v.isValueNode() ? v.asText() : v.toString());
                }
                return new Rec(line, fields, null, null);
            }
        };
        return new RecordSource(headers, recs, reader);
    }

    /** The object on a line, or null when the line is not a JSON object. */
    private static JsonNode parse(ObjectMapper json, String line) {
        try {
            JsonNode n = json.readTree(line);
            return n != null && n.isObject() ? n : null;
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() throws Exception {
        closer.close();
    }

    /** Reads lines of at most {@code max} characters (a longer line is 413 {@code field_too_large}). */
    static final class LineReader {
        private final Reader in;
        private final int max;
        private final char[] buf = new char[8192];
        private int pos;
        private int len;
        long lineNumber;

        LineReader(Reader in, int max) {
            this.in = in;
            this.max = max;
        }

        String next() throws IOException {
            StringBuilder b = null;
            while (true) {
                if (pos == len) {
                    len = in.read(buf);
                    pos = 0;
                    if (len <= 0) {
                        len = 0;
                        if (b == null) {
                            return null;
                        }
                        lineNumber++;
                        return b.toString();
                    }
                }
                int start = pos;
                while (pos < len && buf[pos] != '\n') {
                    pos++;
                }
                if (b == null) {
                    b = new StringBuilder();
                }
                b.append(buf, start, pos - start);
                if (b.length() > max) {
                    throw new ProblemException(413, "field_too_large", "Field too large",
                            "Line " + (lineNumber + 1) + " is longer than " + max + " characters");
                }
                if (pos < len) {
                    pos++;
                    lineNumber++;
                    int l = b.length();
                    return l > 0 && b.charAt(l - 1) == '\r' ? b.substring(0, l - 1) : b.toString();
                }
            }
        }
    }
}
