package io.hotpass.contracts.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotpass.contracts.spec.ContractDocument;
import io.hotpass.contracts.spec.ContractParser;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ProfilerTest {

    static final ContractDocument C = new ContractParser().parse("""
            name: p
            version: 1.0.0
            dataset: p
            fields:
              kind: {type: string}
              size: {type: number}
            """, true);

    static List<ColumnProfile> profile(int rows, double shift, String[] kinds, double[] weights, long seed) {
        Random r = new Random(seed);
        List<Map<String, Object>> list = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            Map<String, Object> m = new HashMap<>();
            double u = r.nextDouble();
            double acc = 0;
            for (int k = 0; k < kinds.length; k++) {
                acc += weights[k];
                if (u < acc) {
                    m.put("kind", kinds[k]);
                    break;
                }
            }
            m.put("size", i % 100 == 0 ? null : r.nextGaussian() * 10 + 100 + shift);
            list.add(m);
        }
        Profiler p = new Profiler(C);
        Iterator<Map<String, Object>> it = p.observe(list.iterator());
        while (it.hasNext()) {
            it.next();
        }
        return p.profiles();
    }

    @Test
    void profileCountsNullsDistinctQuantilesAndTopValues() {
        List<ColumnProfile> p = profile(20_000, 0, new String[] {"a", "b", "c"}, new double[] {0.5, 0.3, 0.2}, 1);
        ColumnProfile size = p.get(1);
        assertEquals(19_800, size.count());
        assertEquals(200, size.nulls());
        assertEquals(100.0, size.quantiles().get("p50"), 1.0);
        assertEquals(100.0, size.mean(), 0.5);
        ColumnProfile kind = p.get(0);
        assertEquals(3, kind.distinct());
        assertEquals("a", kind.topValues().get(0).value());
        assertEquals(1, kind.length().max());
    }

    @Test
    void stableDataHasNoDriftAndShiftedDataHasMuch() {
        String[] kinds = {"a", "b", "c"};
        List<ColumnProfile> base = profile(20_000, 0, kinds, new double[] {0.5, 0.3, 0.2}, 1);
        List<ColumnProfile> same = profile(20_000, 0, kinds, new double[] {0.5, 0.3, 0.2}, 2);
        List<ColumnProfile> moved = profile(20_000, 20, kinds, new double[] {0.1, 0.2, 0.7}, 3);
        for (Drift.Measure m : Drift.compare(base, same, List.of())) {
            assertTrue(m.value() < 0.05, m.toString());
        }
        Map<String, Double> d = new HashMap<>();
        Drift.compare(base, moved, List.of()).forEach(m -> d.put(m.kind(), m.value()));
        // PSI of (0.5,0.3,0.2) -> (0.1,0.2,0.7): 0.4*ln5 + 0.1*ln1.5 + 0.5*ln3.5 = 1.29
        assertEquals(1.29, d.get("psi"), 0.05);
        // median moved by 20, the baseline IQR of N(100, 10) is 13.5
        assertEquals(20 / 13.49, d.get("quantile_shift"), 0.15);
    }
}
