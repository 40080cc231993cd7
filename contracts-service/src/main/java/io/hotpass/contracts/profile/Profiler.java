package io.hotpass.contracts.profile;

import io.hotpass.contracts.spec.ContractDocument;
import io.hotpass.contracts.spec.FieldSpec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.kll.KllDoublesSketch;

/**
 * Profiles every declared column while the rows pass by (it wraps the row iterator the engine
 * reads, so profiling costs no second pass). Memory is fixed per column: sketches, not values.
 */
public final class Profiler {

    static final double[] RANKS = {0.05, 0.25, 0.5, 0.75, 0.95};
    static final int TOP = 20;

    private final List<Column> columns = new ArrayList<>();

    public Profiler(ContractDocument contract) {
        for (FieldSpec f : contract.fields().values()) {
            columns.add(new Column(f));
        }
    }

    /** The rows, unchanged, each seen by the profiler on its way through. */
    public <M extends Map<String, ?>> Iterator<M> observe(Iterator<M> rows) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public M next() {
                M row = rows.next();
                for (Column c : columns) {
                    c.accept(row.get(c.name));
                }
                return row;
            }
        };
    }

    public List<ColumnProfile> profiles() {
        return columns.stream().map(Column::profile).toList();
    }

    static final class Column {
        final String name;
        final FieldSpec spec;
        long count;
        long nulls;
        final HllSketch hll = new HllSketch(12);
        final KllDoublesSketch kll;
        final ItemsSketch<String> top;
        double sum;
        int minLen = Integer.MAX_VALUE;
        int maxLen;
        long sumLen;
        String minText;
        String maxText;

        Column(FieldSpec f) {
            name = f.name();
            spec = f;
            kll = f.type().numeric() ? KllDoublesSketch.newHeapInstance(200) : null;
            top = f.type().numeric() ? null : new ItemsSketch<>(64);
        }

        void accept(Object v) {
            if (v == null || (v instanceof String s && s.isBlank())) {
                nulls++;
                return;
            }
            count++;
            String text = v instanceof String s ? s : v.toString();
            hll.update(text);
            if (kll != null) {
                double d = v instanceof Number n ? n.doubleValue() : parse(text);
                if (!Double.isNaN(d)) {
                    kll.update(d);
                    sum += d;
                }
                return;
            }
            top.update(text);
            int len = text.length();
            minLen = Math.min(minLen, len);
            maxLen = Math.max(maxLen, len);
            sumLen += len;
            if (spec.type().temporal()) {
                if (minText == null || text.compareTo(minText) < 0) {
                    minText = text;
                }
                if (maxText == null || text.compareTo(maxText) > 0) {
                    maxText = text;
                }
            }
        }

        static double parse(String s) {
            try {
                return new BigDecimal(s.trim()).doubleValue();
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }

        ColumnProfile profile() {
            long distinct = Math.round(hll.getEstimate());
            if (kll != null) {
                Map<String, Double> q = new LinkedHashMap<>();
                Double mean = null;
                Object min = null;
                Object max = null;
                if (!kll.isEmpty()) {
                    for (double r : RANKS) {
                        q.put("p" + Math.round(r * 100), kll.getQuantile(r));
                    }
                    mean = sum / kll.getN();
                    min = kll.getMinItem();
                    max = kll.getMaxItem();
                }
                return new ColumnProfile(name, spec.type().wire(), count, nulls, distinct, min, max, mean, q, List.of(),
                        null, 0);
            }
            List<ColumnProfile.TopValue> values = new ArrayList<>();
            if (!top.isEmpty()) {
                ItemsSketch.Row<String>[] rows = top.getFrequentItems(ErrorType.NO_FALSE_POSITIVES);
                Arrays.stream(rows).sorted(Comparator.comparingLong((ItemsSketch.Row<String> r) -> -r.getEstimate())
                        .thenComparing(ItemsSketch.Row::getItem)).limit(TOP)
                        .forEach(r -> values.add(new ColumnProfile.TopValue(r.getItem(), r.getEstimate())));
            }
            long inTop = values.stream().mapToLong(ColumnProfile.TopValue::count).sum();
            ColumnProfile.Length length = count == 0 ? null
                    : new ColumnProfile.Length(minLen, maxLen, Math.round(sumLen * 100.0 / count) / 100.0);
            return new ColumnProfile(name, spec.type().wire(), count, nulls, distinct, minText, maxText, null, Map.of(),
                    values, length, Math.max(0, count - inTop));
        }
    }
}
