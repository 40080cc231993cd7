package io.hotpass.contracts.engine;

import io.hotpass.contracts.spec.ContractDocument;
import io.hotpass.contracts.spec.ExpectationSpec;
import io.hotpass.contracts.spec.FieldSpec;
import io.hotpass.contracts.spec.FieldType;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates every expectation of a contract in one pass over the rows. Memory is bounded: per
 * expectation a few counters and at most {@code maxSamples} failing rows; uniqueness keeps one
 * 64-bit hash per distinct value ({@link LongHashSet}). Rows are never held after they are seen.
 *
 * <p>Row checks per field: {@code required} (missing, null or blank cells fail), {@code type},
 * then, for non-empty values of the right type, {@code pattern} (RE2, linear time, unanchored:
 * anchor with ^ and $), {@code enum}, {@code range} (min/max), {@code length}, {@code format} and
 * {@code unique}. Dataset checks: {@code row_count}, {@code unique} over a column set (rows with
 * an empty cell in the set are skipped, as in SQL), {@code null_fraction}, {@code freshness}
 * (newest date's age in days) and {@code referential} (membership in another dataset's column).
 */
public final class ValidationEngine {

    public static final int DEFAULT_SAMPLES = 20;
    private static final int TIME_EVERY = 64;
    public static final String ROW_ID = "_rowId";

    private final List<FieldEvaluator> fields = new ArrayList<>();
    private final List<DatasetCheck> datasetChecks = new ArrayList<>();
    private final List<Tally> ordered = new ArrayList<>();
    private final Clock clock;

    public ValidationEngine(ContractDocument contract, int maxSamples, Clock clock, ReferenceSets refs) {
        this.clock = clock;
        Set<String> ids = new HashSet<>();
        for (FieldSpec f : contract.fields().values()) {
            FieldEvaluator e = new FieldEvaluator(f, maxSamples, ids);
            fields.add(e);
            ordered.addAll(e.tallies());
        }
        for (ExpectationSpec s : contract.expectations()) {
            DatasetCheck c = DatasetCheck.of(s, contract, maxSamples, ids, refs);
            datasetChecks.add(c);
            ordered.add(c.tally);
        }
    }

    public int expectationCount() {
        return ordered.size();
    }

    /** Runs the pass. Rows are maps of column to value; {@code _rowId} names the row (else its 1-based position). */
    public ValidationReport run(Iterator<? extends Map<String, ?>> rows) {
        long start = System.nanoTime();
        long n = 0;
        while (rows.hasNext()) {
            Map<String, ?> row = rows.next();
            n++;
            Object id = row.get(ROW_ID);
            String rowId = id == null ? Long.toString(n) : id.toString();
            if (n % TIME_EVERY == 0) {
                for (FieldEvaluator f : fields) {
                    long t = System.nanoTime();
                    f.accept(rowId, row.get(f.name));
                    f.nanos += System.nanoTime() - t;
                }
                for (DatasetCheck c : datasetChecks) {
                    long t = System.nanoTime();
                    c.accept(rowId, row);
                    c.tally.nanos += System.nanoTime() - t;
                }
            } else {
                for (FieldEvaluator f : fields) {
                    f.accept(rowId, row.get(f.name));
                }
                for (DatasetCheck c : datasetChecks) {
                    c.accept(rowId, row);
                }
            }
        }
        List<ExpectationResult> results = new ArrayList<>();
        LocalDate today = LocalDate.now(clock);
        for (FieldEvaluator f : fields) {
            results.addAll(f.results(n, TIME_EVERY));
        }
        for (DatasetCheck c : datasetChecks) {
            results.add(c.result(n, today, c.tally.nanos * TIME_EVERY));
        }
        int errors = 0;
        int warnings = 0;
        for (ExpectationResult r : results) {
            if (!r.success()) {
                if ("error".equals(r.severity())) {
                    errors++;
                } else {
                    warnings++;
                }
            }
        }
        String status = errors > 0 ? ValidationReport.FAILED : warnings > 0 ? ValidationReport.WARNED : ValidationReport.PASSED;
        return new ValidationReport(status, n, (System.nanoTime() - start) / 1_000_000, results.size(), errors, warnings,
                results);
    }

    static String uniqueId(Set<String> ids, String id) {
        String candidate = id;
        for (int i = 2; !ids.add(candidate); i++) {
            candidate = id + "#" + i;
        }
        return candidate;
    }

    /** All row checks of one field, sharing one lookup and one type reading of the cell. */
    static final class FieldEvaluator {
        final String name;
        final FieldSpec spec;
        final Tally required;
        final Tally type;
        final Tally pattern;
        final Tally enumeration;
        final Tally range;
        final Tally length;
        final Tally format;
        final Tally unique;
        final BoundedPattern regex;
        final Set<String> enumValues;
        final LongHashSet seen;
        final double min;
        final double max;
        final long minT;
        final long maxT;
        long nanos;

        FieldEvaluator(FieldSpec f, int samples, Set<String> ids) {
            this.name = f.name();
            this.spec = f;
            List<String> col = List.of(name);
            required = f.required() ? new Tally(uniqueId(ids, name + ".required"), "required", col, f.severity(), f.mostly(), samples) : null;
            type = new Tally(uniqueId(ids, name + ".type"), "type", col, f.severity(), f.mostly(), samples);
            pattern = f.pattern() != null ? new Tally(uniqueId(ids, name + ".pattern"), "pattern", col, f.severity(), f.mostly(), samples) : null;
            regex = f.pattern() != null ? new BoundedPattern(f.pattern()) : null;
            enumeration = f.enumValues() != null ? new Tally(uniqueId(ids, name + ".enum"), "enum", col, f.severity(), f.mostly(), samples) : null;
            enumValues = f.enumValues() != null ? new HashSet<>(f.enumValues()) : null;
            range = f.min() != null || f.max() != null ? new Tally(uniqueId(ids, name + ".range"), "range", col, f.severity(), f.mostly(), samples) : null;
            min = f.min() == null ? Double.NEGATIVE_INFINITY : f.min().number();
            max = f.max() == null ? Double.POSITIVE_INFINITY : f.max().number();
            minT = f.min() == null ? Long.MIN_VALUE : f.min().epochDayOrMilli();
            maxT = f.max() == null ? Long.MAX_VALUE : f.max().epochDayOrMilli();
            length = f.minLength() != null || f.maxLength() != null ? new Tally(uniqueId(ids, name + ".length"), "length", col, f.severity(), f.mostly(), samples) : null;
            format = f.format() != null ? new Tally(uniqueId(ids, name + ".format"), "format", col, f.severity(), f.mostly(), samples) : null;
            unique = f.unique() ? new Tally(uniqueId(ids, name + ".unique"), "unique", col, f.severity(), f.mostly(), samples) : null;
            seen = f.unique() ? new LongHashSet() : null;
        }

        List<Tally> tallies() {
            List<Tally> l = new ArrayList<>();
            for (Tally t : new Tally[] {required, type, pattern, enumeration, range, length, format, unique}) {
                if (t != null) {
                    l.add(t);
                }
            }
            return l;
        }

        void accept(String rowId, Object v) {
            boolean empty = Values.isEmpty(v);
            if (required != null) {
                required.evaluated++;
                if (empty) {
                    required.fail(rowId, name, v);
                }
            }
            if (empty) {
                return;
            }
            type.evaluated++;
            FieldType t = spec.type();
            double num = Double.NaN;
            long temporal = Values.NOT;
            boolean ok;
            switch (t) {
                case STRING -> ok = v instanceof String;
                case INTEGER -> ok = !Double.isNaN(num = Values.integer(v));
                case NUMBER -> ok = !Double.isNaN(num = Values.number(v));
                case BOOLEAN -> ok = Values.isBoolean(v);
                case DATE -> ok = (temporal = Values.date(v)) != Values.NOT;
                case DATETIME -> ok = (temporal = Values.dateTime(v)) != Values.NOT;
                default -> ok = false;
            }
            if (!ok) {
                type.fail(rowId, name, v);
                return;
            }
            String text = null;
            if (pattern != null) {
                text = Values.text(v);
                pattern.evaluated++;
                if (!regex.find(text)) {
                    pattern.fail(rowId, name, v);
                }
            }
            if (enumeration != null) {
                text = text == null ? Values.text(v) : text;
                enumeration.evaluated++;
                if (!enumValues.contains(text)) {
                    enumeration.fail(rowId, name, v);
                }
            }
            if (range != null) {
                range.evaluated++;
                boolean in = t.numeric() ? num >= min && num <= max : temporal >= minT && temporal <= maxT;
                if (!in) {
                    range.fail(rowId, name, v);
                }
            }
            if (length != null) {
                text = text == null ? Values.text(v) : text;
                length.evaluated++;
                int len = text.codePointCount(0, text.length());
                if ((spec.minLength() != null && len < spec.minLength()) || (spec.maxLength() != null && len > spec.maxLength())) {
                    length.fail(rowId, name, v);
                }
            }
            if (format != null) {
                text = text == null ? Values.text(v) : text;
                format.evaluated++;
                boolean fine = switch (spec.format()) {
                    case "email" -> Values.isEmail(text);
                    case "e164" -> Values.isE164(text);
                    case "url" -> Values.isUrl(text);
                    case "iso-date" -> Values.date(text) != Values.NOT;
                    default -> true;
                };
                if (!fine) {
                    format.fail(rowId, name, v);
                }
            }
            if (unique != null) {
                text = text == null ? Values.text(v) : text;
                unique.evaluated++;
                if (!seen.add(Hashing.hash(text))) {
                    unique.fail(rowId, name, v);
                }
            }
        }

        List<ExpectationResult> results(long rows, int timeEvery) {
            List<Tally> ts = tallies();
            long share = nanos * timeEvery / ts.size();
            List<ExpectationResult> out = new ArrayList<>();
            for (Tally t : ts) {
                if (t == unique) {
                    boolean ok = 1.0 - t.failingFraction() + 1e-12 >= t.mostly;
                    out.add(t.result(ok, Map.of("distinct", seen.size(), "duplicates", t.failed),
                            t.failed == 0 ? "all " + t.evaluated + " non-empty values are distinct"
                                    : t.failed + " rows repeat a value seen earlier (" + seen.size() + " distinct)", share));
                } else {
                    out.add(t.rowResult(share));
                }
            }
            return out;
        }
    }

    /** A dataset-level expectation. */
    abstract static class DatasetCheck {
        final Tally tally;

        DatasetCheck(Tally tally) {
            this.tally = tally;
        }

        abstract void accept(String rowId, Map<String, ?> row);

        abstract ExpectationResult result(long rows, LocalDate today, long nanos);

        static DatasetCheck of(ExpectationSpec s, ContractDocument c, int samples, Set<String> ids, ReferenceSets refs) {
            String defaultId = switch (s.kind()) {
                case "row_count" -> "row_count";
                case "referential" -> "referential(" + s.column() + "->" + s.refDataset() + "." + s.refColumn() + ")";
                default -> s.kind() + "(" + String.join(",", s.columns()) + ")";
            };
            Tally t = new Tally(uniqueId(ids, s.name() != null ? s.name() : defaultId), s.kind(), s.columns(), s.severity(),
                    s.mostly(), samples);
            return switch (s.kind()) {
                case "row_count" -> new RowCount(t, s);
                case "unique" -> new UniqueSet(t, s);
                case "null_fraction" -> new NullFraction(t, s);
                case "freshness" -> new Freshness(t, s, c.fields().get(s.column()).type());
                case "referential" -> new Referential(t, s, refs == null ? null : refs.values(s.refDataset(), s.refColumn()));
                default -> throw new IllegalArgumentException("Unknown expectation " + s.kind());
            };
        }
    }

    static final class RowCount extends DatasetCheck {
        final ExpectationSpec spec;

        RowCount(Tally t, ExpectationSpec s) {
            super(t);
            spec = s;
        }

        @Override
        void accept(String rowId, Map<String, ?> row) {
        }

        @Override
        ExpectationResult result(long rows, LocalDate today, long nanos) {
            boolean ok = (spec.minRows() == null || rows >= spec.minRows()) && (spec.maxRows() == null || rows <= spec.maxRows());
            tally.evaluated = rows;
            return tally.result(ok, rows, rows + " rows; expected " + (spec.minRows() == null ? "" : "at least " + spec.minRows())
                    + (spec.minRows() != null && spec.maxRows() != null ? " and " : "")
                    + (spec.maxRows() == null ? "" : "at most " + spec.maxRows()), nanos);
        }
    }

    static final class UniqueSet extends DatasetCheck {
        final List<String> columns;
        final LongHashSet seen = new LongHashSet();

        UniqueSet(Tally t, ExpectationSpec s) {
            super(t);
            columns = s.columns();
        }

        @Override
        void accept(String rowId, Map<String, ?> row) {
            long h = 17;
            for (String c : columns) {
                Object v = row.get(c);
                if (Values.isEmpty(v)) {
                    return;
                }
                h = Hashing.combine(h, Hashing.hash(Values.text(v)));
            }
            tally.evaluated++;
            if (!seen.add(h)) {
                Map<String, Object> values = new LinkedHashMap<>();
                for (String c : columns) {
                    values.put(c, row.get(c));
                }
                tally.fail(rowId, values);
            }
        }

        @Override
        ExpectationResult result(long rows, LocalDate today, long nanos) {
            boolean ok = 1.0 - tally.failingFraction() + 1e-12 >= tally.mostly;
            return tally.result(ok, Map.of("distinct", seen.size(), "duplicates", tally.failed),
                    tally.failed == 0 ? "all " + tally.evaluated + " complete combinations are distinct"
                            : tally.failed + " rows repeat a combination seen earlier", nanos);
        }
    }

    static final class NullFraction extends DatasetCheck {
        final String column;
        final double max;

        NullFraction(Tally t, ExpectationSpec s) {
            super(t);
            column = s.column();
            max = s.maxFraction();
        }

        @Override
        void accept(String rowId, Map<String, ?> row) {
            tally.evaluated++;
            Object v = row.get(column);
            if (Values.isEmpty(v)) {
                tally.fail(rowId, column, v);
            }
        }

        @Override
        ExpectationResult result(long rows, LocalDate today, long nanos) {
            double f = tally.failingFraction();
            return tally.result(f <= max + 1e-12, Tally.round(f), "null fraction " + Tally.percent(f) + "; at most "
                    + Tally.percent(max) + " allowed", nanos);
        }
    }

    static final class Freshness extends DatasetCheck {
        final String column;
        final int maxAgeDays;
        final FieldType type;
        long newest = Long.MIN_VALUE;

        Freshness(Tally t, ExpectationSpec s, FieldType type) {
            super(t);
            column = s.column();
            maxAgeDays = s.maxAgeDays();
            this.type = type;
        }

        @Override
        void accept(String rowId, Map<String, ?> row) {
            Object v = row.get(column);
            if (Values.isEmpty(v)) {
                return;
            }
            long day = type == FieldType.DATE ? Values.date(v) : Values.dateTime(v);
            if (day == Values.NOT) {
                return;
            }
            if (type == FieldType.DATETIME) {
                day = Math.floorDiv(day, 86_400_000L);
            }
            tally.evaluated++;
            if (day > newest) {
                newest = day;
            }
        }

        @Override
        ExpectationResult result(long rows, LocalDate today, long nanos) {
            if (newest == Long.MIN_VALUE) {
                return tally.result(false, null, "no readable " + column + " value", nanos);
            }
            long age = today.toEpochDay() - newest;
            LocalDate d = LocalDate.ofEpochDay(newest);
            return tally.result(age <= maxAgeDays, Map.of("newest", d.toString(), "ageDays", age),
                    "newest " + column + " is " + d + " (" + age + " days old); at most " + maxAgeDays + " allowed", nanos);
        }
    }

    static final class Referential extends DatasetCheck {
        final String column;
        final LongHashSet reference;

        Referential(Tally t, ExpectationSpec s, LongHashSet reference) {
            super(t);
            column = s.column();
            this.reference = reference;
        }

        @Override
        void accept(String rowId, Map<String, ?> row) {
            if (reference == null) {
                return;
            }
            Object v = row.get(column);
            if (Values.isEmpty(v)) {
                return;
            }
            tally.evaluated++;
            if (!reference.contains(Hashing.hash(Values.text(v)))) {
                tally.fail(rowId, column, v);
            }
        }

        @Override
        ExpectationResult result(long rows, LocalDate today, long nanos) {
            if (reference == null) {
                return tally.result(false, null, "the referenced dataset or column could not be read", nanos);
            }
            return tally.rowResult(nanos);
        }
    }
}
