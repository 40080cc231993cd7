package io.hotpass.contracts.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotpass.contracts.spec.ContractDocument;
import io.hotpass.contracts.spec.ContractParser;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The engine on generated rows whose defects are known exactly. */
class ValidationEngineTest {

    static final ContractParser PARSER = new ContractParser();
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T00:00:00Z"), ZoneOffset.UTC);

    static final String CONTRACT = """
            name: t
            version: 1.0.0
            dataset: t
            fields:
              id: {type: string, required: true, unique: true}
              email: {type: string, format: email, mostly: 0.95}
              phone: {type: string, format: e164, severity: warn}
              site: {type: string, format: url}
              kind: {type: string, enum: [a, b, c]}
              size: {type: integer, min: 0, max: 100}
              ratio: {type: number, min: 0, max: 1}
              active: {type: boolean}
              seen: {type: date, min: "2020-01-01"}
              code: {type: string, pattern: "^[A-Z]{2}-[0-9]{4}$", minLength: 7, maxLength: 7}
            expectations:
              - {type: row_count, min: 1, max: 100000}
              - {type: unique, columns: [kind, size], name: kind-size, severity: warn}
              - {type: null_fraction, column: email, max: 0.05}
              - {type: freshness, column: seen, maxAgeDays: 30}
              - {type: referential, column: kind, refDataset: kinds, refColumn: code}
            """;

    /** Row i: defects at fixed positions so every count below is exact. */
    static Map<String, Object> row(int i, Random r) {
        Map<String, Object> m = new HashMap<>();
        m.put("_rowId", "r" + i);
        m.put("id", i % 1000 == 999 ? "id-" + (i - 1) : "id-" + i);           // 1 duplicate per 1000
        m.put("email", i % 50 == 0 ? "" : i % 100 == 1 ? "not-an-email" : "u" + i + "@example.org"); // 2% empty, 1% bad
        m.put("phone", i % 10 == 0 ? "0821234567" : "+27821234567");            // 10% not E.164 (warn)
        m.put("site", "https://www.example.org/" + i);
        m.put("kind", i % 200 == 0 ? "z" : List.of("a", "b", "c").get(i % 3));  // 0.5% outside the enum
        m.put("size", i % 250 == 0 ? -3 : r.nextInt(101));                      // JSON integers; 0.4% below min
        m.put("ratio", i % 125 == 0 ? "1.5" : String.valueOf(r.nextDouble()));  // text numbers; 0.8% above max
        m.put("active", i % 2 == 0 ? Boolean.TRUE : "false");
        m.put("seen", i % 400 == 0 ? "31/02/2023" : "2026-11-" + String.format("%02d", 1 + i % 25)); // 0.25% unreadable
        m.put("code", i % 500 == 0 ? "ab-1234" : "ZA-" + String.format("%04d", i % 10000));
        return m;
    }

    static Map<String, ExpectationResult> run(int rows, int samples) {
        ContractDocument c = PARSER.parse(CONTRACT, true);
        LongHashSet kinds = new LongHashSet();
        for (String k : List.of("a", "b", "c")) {
            kinds.add(Hashing.hash(k));
        }
        ValidationEngine engine = new ValidationEngine(c, samples, CLOCK, (ds, col) -> "kinds".equals(ds) ? kinds : null);
        Random r = new Random(42);
        Iterator<Map<String, Object>> it = new Iterator<>() {
            int i;

            @Override
            public boolean hasNext() {
                return i < rows;
            }

            @Override
            public Map<String, Object> next() {
                return row(i++, r);
            }
        };
        ValidationReport report = engine.run(it);
        assertEquals(rows, report.rowCount());
        return report.expectations().stream().collect(Collectors.toMap(ExpectationResult::id, Function.identity()));
    }

    @Test
    void everyDefectIsCountedExactlyInOnePass() {
        Map<String, ExpectationResult> r = run(10_000, 20);
        assertEquals(10, r.get("id.unique").failingCount());
        assertEquals(0, r.get("id.required").failingCount());
        assertEquals(200, r.get("email.required") == null ? 200 : -1, "email is not required: no such check");
        assertEquals(9_800, r.get("email.format").evaluated(), "empty cells are not evaluated by row checks");
        assertEquals(100, r.get("email.format").failingCount());
        assertTrue(r.get("email.format").success(), "1% failing is within mostly 0.95");
        assertEquals(1_000, r.get("phone.format").failingCount());
        assertFalse(r.get("phone.format").success());
        assertEquals("warn", r.get("phone.format").severity());
        assertEquals(50, r.get("kind.enum").failingCount());
        assertEquals(40, r.get("size.range").failingCount());
        assertEquals(0, r.get("size.type").failingCount());
        assertEquals(80, r.get("ratio.range").failingCount());
        assertEquals(0, r.get("active.type").failingCount());
        assertEquals(25, r.get("seen.type").failingCount());
        assertEquals(20, r.get("code.pattern").failingCount());
        assertEquals(0, r.get("code.length").failingCount());
        assertEquals(10_000L, r.get("row_count").observed());
        assertEquals(0.02, r.get("null_fraction(email)").observed());
        assertTrue(r.get("null_fraction(email)").success());
        assertEquals(Map.of("newest", "2026-11-25", "ageDays", 1L), r.get("freshness(seen)").observed());
        assertEquals(50, r.get("referential(kind->kinds.code)").failingCount());
        assertTrue(r.get("kind-size").failingCount() > 0, "303 kind/size pairs cannot hold 10,000 rows");
    }

    @Test
    void samplesAreBoundedAndCarryRowIdsAndValues() {
        Map<String, ExpectationResult> r = run(10_000, 3);
        ExpectationResult phone = r.get("phone.format");
        assertEquals(3, phone.failingSamples().size());
        assertEquals(new FailingRow("r0", Map.of("phone", "0821234567")), phone.failingSamples().get(0));
        assertEquals(new FailingRow("r10", Map.of("phone", "0821234567")), phone.failingSamples().get(1));
        ExpectationResult dup = r.get("id.unique");
        assertEquals("r999", dup.failingSamples().get(0).rowId());
        assertEquals(List.of("kind", "size"), List.copyOf(r.get("kind-size").failingSamples().get(0).values().keySet()));
    }

    @Test
    void statusIsFailedOnErrorsWarnedOnWarningsOnly() {
        ContractDocument c = PARSER.parse("""
                name: s
                version: 1.0.0
                dataset: s
                fields:
                  a: {type: integer, severity: warn}
                  b: {type: string, required: true}
                """, true);
        ValidationEngine e = new ValidationEngine(c, 20, CLOCK, null);
        assertEquals("passed", e.run(List.of(Map.of("a", 1, "b", "x")).iterator()).status());
        e = new ValidationEngine(c, 20, CLOCK, null);
        assertEquals("warned", e.run(List.of(Map.of("a", "one", "b", "x")).iterator()).status());
        e = new ValidationEngine(c, 20, CLOCK, null);
        Map<String, Object> noB = new HashMap<>();
        noB.put("a", 1);
        noB.put("b", null);
        ValidationReport failed = e.run(List.of(noB).iterator());
        assertEquals("failed", failed.status());
        assertEquals(1, failed.failedErrors());
    }

    @Test
    @Timeout(120)
    void catastrophicPatternsRunInLinearTime() {
        // (a+)+$ on "aaa…a!" takes 2^n steps in a backtracking engine; RE2 answers in one scan.
        ContractDocument c = PARSER.parse("name: p\nversion: 1.0.0\ndataset: p\nfields:\n  s: {type: string, pattern: '^(a+)+$'}\n", true);
        ValidationEngine e = new ValidationEngine(c, 20, CLOCK, null);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            rows.add(Map.of("s", "a".repeat(40) + "!"));
        }
        ValidationReport report = e.run(rows.iterator());
        assertEquals(200, report.expectations().get(1).failingCount());
    }

    @Test
    void boundedPatternsAgreeWithRe2AndFallBackWhenBacktrackingRunsAway() {
        String[] patterns = {"^[^@\\s]+@[^@\\s]+\\.[A-Za-z]{2,}$", "^\\+?[0-9 ()-]{9,20}$", "abc", "^(a+)+$", "x|y$", "(x+x+)+y"};
        String[] values = {"info@sky.co.za", " info@sky.co.za ", "+27 82 123 4567", "abcd", "a".repeat(30) + "!", "y\n", "", "x", "x".repeat(60), "xxy"};
        for (String p : patterns) {
            BoundedPattern b = new BoundedPattern(p);
            com.google.re2j.Pattern re2 = com.google.re2j.Pattern.compile(p);
            for (String v : values) {
                assertEquals(re2.matcher(v).find(), b.find(v), p + " on " + v);
            }
        }
        // java.util.regex memoizes (a+)+ these days; (x+x+)+y still backtracks polynomially without end in sight.
        BoundedPattern evil = new BoundedPattern("(x+x+)+y");
        assertFalse(evil.find("x".repeat(60)));
        assertEquals(1, evil.fallbacks(), "the backtracking budget ran out and RE2J answered");
        assertEquals(0, new BoundedPattern("^a+$").fallbacks());
    }

    @Test
    void uniquenessMemoryGrowsWithDistinctValuesOnly() {
        LongHashSet set = new LongHashSet();
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < 100_000; i++) {
                set.add(Hashing.hash("value-" + i));
            }
        }
        assertEquals(100_000, set.size());
        assertTrue(set.footprintBytes() <= 100_000L * 16 * 2, "at most 32 bytes per distinct value: " + set.footprintBytes());
        assertTrue(set.contains(Hashing.hash("value-7")));
        assertFalse(set.contains(Hashing.hash("value-100000")));
    }

    @Test
    void formatsAcceptWhatTheyShould() {
        assertTrue(Values.isEmail("info@skyaviation.co.za"));
        assertFalse(Values.isEmail(" info@skyaviation.co.za "));
        assertFalse(Values.isEmail("not-an-email"));
        assertFalse(Values.isEmail("a@b"));
        assertTrue(Values.isE164("+27821234567"));
        assertFalse(Values.isE164("+0821234567"));
        assertTrue(Values.isUrl("https://www.example.org/x?y=1"));
        assertTrue(Values.isUrl("http://localhost:8080/"));
        assertFalse(Values.isUrl("www.example.org"));
        assertEquals(Values.NOT, Values.date("2023-02-29"));
        assertTrue(Values.date("2024-02-29") != Values.NOT);
        assertEquals(Double.NaN, Values.integer("1.5"));
        assertEquals(-3.0, Values.integer("-3"));
        assertEquals(1.5, Values.number("1.5"));
        assertEquals(Double.NaN, Values.number("1.5d"));
    }
}
