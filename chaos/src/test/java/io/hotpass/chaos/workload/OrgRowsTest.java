package io.hotpass.chaos.workload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import org.junit.jupiter.api.Test;

class OrgRowsTest {

    @Test
    void everyRowHasItsOwnRegistrationNumberAndTheFileIsReproducible() {
        OrgRows rows = new OrgRows("T1", 5000, 0.02);
        assertEquals(5000, rows.registrationNumbers.size());
        assertEquals(5000, new HashSet<>(rows.registrationNumbers).size());
        String[] lines = new String(rows.csv, StandardCharsets.UTF_8).split("\n");
        assertEquals(5001, lines.length, "header and one line per row");
        assertTrue(lines[0].startsWith("name,email,phone"));
        assertArrayEquals(rows.csv, new OrgRows("T1", 5000, 0.02).csv);
        // Some rows repeat an earlier organisation under their own number: work for the merge plan.
        long distinctNames = java.util.Arrays.stream(lines).skip(1).map(l -> l.split(",")[0]).distinct().count();
        assertTrue(distinctNames < 5000 && distinctNames > 4800, "about 2 % near-duplicates, got " + (5000 - distinctNames));
    }

    @Test
    void theThrottledBodyDeliversEveryByteInOrder() throws Exception {
        byte[] data = new OrgRows("T2", 300, 0).csv;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Workload.Throttled in = new Workload.Throttled(data, 10_000_000)) {
            in.transferTo(out);
        }
        assertArrayEquals(data, out.toByteArray());
    }
}
