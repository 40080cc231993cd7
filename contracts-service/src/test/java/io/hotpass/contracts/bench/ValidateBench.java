package io.hotpass.contracts.bench;

import io.hotpass.contracts.engine.ValidationEngine;
import io.hotpass.contracts.engine.ValidationReport;
import io.hotpass.contracts.spec.ContractDocument;
import io.hotpass.contracts.spec.ContractParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * bench/validate's harness for our engine (not a test): reads the gen_orgs CSV in one streaming
 * pass and validates it against a contract. Columns are named positionally with ingest's
 * canonical names, as Deequ's harness does. Prints one JSON object: end-to-end time of the first
 * run measured from the JVM's launch (passed in by the runner), and the median of warm runs.
 *
 * Usage: ValidateBench CSV CONTRACT_YAML LAUNCH_EPOCH_MS WARM_RUNS
 */
public final class ValidateBench {

    static final String[] COLUMNS = {"name", "email", "phone", "website", "street", "city", "province", "country",
            "registration_number", "category", "fleet_size", "founded_year", "last_inspection_date"};

    public static void main(String[] args) throws IOException {
        Path csv = Path.of(args[0]);
        String yaml = Files.readString(Path.of(args[1]));
        long launch = Long.parseLong(args[2]);
        int warm = Integer.parseInt(args[3]);
        long t = System.currentTimeMillis();
        ContractDocument contract = new ContractParser().parse(yaml, true);
        ValidationReport first = run(contract, csv);
        long end = System.currentTimeMillis();
        List<Long> warmRuns = new ArrayList<>();
        for (int i = 0; i < warm; i++) {
            long s = System.nanoTime();
            run(contract, csv);
            warmRuns.add((System.nanoTime() - s) / 1_000_000);
        }
        List<Long> sorted = new ArrayList<>(warmRuns);
        Collections.sort(sorted);
        long median = sorted.isEmpty() ? -1 : sorted.get(sorted.size() / 2);
        Runtime rt = Runtime.getRuntime();
        StringBuilder failing = new StringBuilder();
        first.expectations().forEach(e -> failing.append(failing.length() == 0 ? "" : ",").append('"').append(e.id())
                .append("\":").append(e.failingCount()));
        System.out.println("{\"rows\":" + first.rowCount() + ",\"end_to_end_ms\":" + (end - launch) + ",\"first_run_ms\":"
                + (end - t) + ",\"warm_ms\":" + median + ",\"warm_runs_ms\":" + warmRuns + ",\"status\":\""
                + first.status() + "\",\"expectations\":" + first.expectationCount() + ",\"heap_used_mib\":"
                + (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024) + ",\"failing\":{" + failing + "}}");
    }

    static ValidationReport run(ContractDocument contract, Path csv) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            CsvRows rows = new CsvRows(r, COLUMNS);
            return new ValidationEngine(contract, ValidationEngine.DEFAULT_SAMPLES, Clock.systemUTC(), null).run(rows);
        }
    }

    /** RFC 4180 rows (quoted fields, doubled quotes, line breaks inside quotes) as maps over an array. */
    static final class CsvRows implements Iterator<Map<String, Object>> {
        private final BufferedReader in;
        private final Map<String, Integer> index = new HashMap<>();
        private final int width;
        private String[] next;
        private long line;

        CsvRows(BufferedReader in, String[] names) {
            this.in = in;
            this.width = names.length;
            for (int i = 0; i < names.length; i++) {
                index.put(names[i], i);
            }
            read(); // header: named positionally instead
            next = read();
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public Map<String, Object> next() {
            if (next == null) {
                throw new NoSuchElementException();
            }
            String[] cur = next;
            next = read();
            return new Row(cur, index, ++line);
        }

        private String[] read() {
            try {
                String l = in.readLine();
                if (l == null) {
                    return null;
                }
                String[] out = new String[width];
                int col = 0;
                if (l.indexOf('"') < 0) {
                    int start = 0;
                    for (int i = 0; i <= l.length(); i++) {
                        if (i == l.length() || l.charAt(i) == ',') {
                            if (col < width) {
                                out[col++] = l.substring(start, i);
                            }
                            start = i + 1;
                        }
                    }
                    return out;
                }
                StringBuilder field = new StringBuilder();
                boolean quoted = false;
                int i = 0;
                while (true) {
                    if (i == l.length()) {
                        if (quoted) { // a line break inside a quoted field
                            String more = in.readLine();
                            if (more == null) {
                                break;
                            }
                            field.append('\n');
                            l = more;
                            i = 0;
                            continue;
                        }
                        break;
                    }
                    char c = l.charAt(i++);
                    if (quoted) {
                        if (c == '"') {
                            if (i < l.length() && l.charAt(i) == '"') {
                                field.append('"');
                                i++;
                            } else {
                                quoted = false;
                            }
                        } else {
                            field.append(c);
                        }
                    } else if (c == '"') {
                        quoted = true;
                    } else if (c == ',') {
                        if (col < width) {
                            out[col++] = field.toString();
                        }
                        field.setLength(0);
                    } else {
                        field.append(c);
                    }
                }
                if (col < width) {
                    out[col] = field.toString();
                }
                return out;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A row without copying: lookups go through the shared column index. */
    static final class Row extends AbstractMap<String, Object> {
        private final String[] values;
        private final Map<String, Integer> index;
        private final long line;

        Row(String[] values, Map<String, Integer> index, long line) {
            this.values = values;
            this.index = index;
            this.line = line;
        }

        @Override
        public Object get(Object key) {
            if (ValidationEngine.ROW_ID.equals(key)) {
                return null; // the engine numbers rows itself
            }
            Integer i = index.get(key);
            return i == null ? null : values[i];
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            Map<String, Object> m = new LinkedHashMap<>();
            index.forEach((k, i) -> m.put(k, values[i]));
            m.put("_line", line);
            return m.entrySet();
        }
    }
}
