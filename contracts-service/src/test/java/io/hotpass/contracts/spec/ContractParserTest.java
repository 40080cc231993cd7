package io.hotpass.contracts.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotpass.platform.problem.ProblemException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContractParserTest {

    static final ContractParser PARSER = new ContractParser();

    static String resource(String name) {
        try (InputStream in = ContractParserTest.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void yamlContractParsesWithEveryKindOfCheck() {
        ContractDocument c = PARSER.parse(resource("contracts/orgs.yaml"), true);
        assertEquals("orgs", c.name());
        assertEquals("1.0.0", c.version());
        assertEquals(List.of("name", "email", "phone", "registration_number", "category", "fleet_size", "founded_year",
                "last_inspection_date"), List.copyOf(c.fields().keySet()));
        FieldSpec email = c.fields().get("email");
        assertEquals(0.9, email.mostly());
        assertEquals("email", email.format());
        assertEquals(Severity.WARN, c.fields().get("phone").severity());
        assertEquals(500.0, c.fields().get("fleet_size").max().number());
        assertEquals(3, c.expectations().size());
        assertEquals(0.1, c.expectations().get(1).maxFraction());
    }

    @Test
    void jsonWorksToo() {
        ContractDocument c = PARSER.parse("{\"name\":\"x\",\"version\":\"2.1.0\",\"dataset\":\"d\","
                + "\"fields\":{\"a\":{\"type\":\"date\",\"min\":\"2020-01-01\"}}}", false);
        assertEquals(FieldType.DATE, c.fields().get("a").type());
    }

    @Test
    void malformedYamlIs400WithLineNotContent() {
        ProblemException e = assertThrows(ProblemException.class, () -> PARSER.parse("name: [unclosed\nsecret: x", true));
        assertEquals(400, e.status());
        assertEquals("malformed_contract", e.code());
        assertTrue(e.getMessage().contains("line"), e.getMessage());
        assertTrue(!e.getMessage().contains("secret"), e.getMessage());
    }

    @Test
    void unknownTypeNamesThePath() {
        ProblemException e = assertThrows(ProblemException.class, () -> PARSER.parse(
                "name: x\nversion: 1.0.0\ndataset: d\nfields:\n  a: {type: varchar}\n", true));
        assertEquals(422, e.status());
        assertEquals("invalid_contract", e.code());
        assertTrue(fields(e).contains("fields.a.type"), fields(e).toString());
    }

    @Test
    void regexThatDoesNotCompileOrNeedsBacktrackingIsRefused() {
        ProblemException bad = assertThrows(ProblemException.class, () -> PARSER.parse(
                "name: x\nversion: 1.0.0\ndataset: d\nfields:\n  a: {type: string, pattern: '([a-z'}\n", true));
        assertEquals(List.of("fields.a.pattern"), fields(bad));
        ProblemException backref = assertThrows(ProblemException.class, () -> PARSER.parse(
                "name: x\nversion: 1.0.0\ndataset: d\nfields:\n  a: {type: string, pattern: '(a)\\1'}\n", true));
        assertEquals(List.of("fields.a.pattern"), fields(backref));
    }

    @Test
    void semanticProblemsAreListedTogether() {
        ProblemException e = assertThrows(ProblemException.class, () -> PARSER.parse("""
                name: x
                version: 1.0.0
                dataset: d
                fields:
                  n: {type: integer, min: 10, max: 1}
                  s: {type: string, minLength: 5, maxLength: 2}
                  d: {type: date, min: yesterday}
                expectations:
                  - {type: unique, columns: [n, nope]}
                  - {type: freshness, column: n, maxAgeDays: 1}
                """, true));
        List<String> f = fields(e);
        assertTrue(f.containsAll(List.of("fields.n.min", "fields.s.minLength")), f.toString());
        // The schema check runs first: row_count without min or max stops there.
        ProblemException rc = assertThrows(ProblemException.class, () -> PARSER.parse(
                "name: x\nversion: 1.0.0\ndataset: d\nfields: {a: {type: string}}\nexpectations: [{type: row_count}]\n", true));
        assertTrue(fields(rc).stream().allMatch(x -> x.startsWith("expectations[0]")), fields(rc).toString());
        ProblemException e2 = assertThrows(ProblemException.class, () -> PARSER.parse("""
                name: x
                version: 1.0.0
                dataset: d
                fields:
                  n: {type: integer, min: 10, max: 1}
                  d: {type: date, min: yesterday}
                expectations:
                  - {type: unique, columns: [n, nope]}
                  - {type: freshness, column: n, maxAgeDays: 1}
                """, true));
        assertEquals(List.of("expectations[0].columns[1]", "expectations[1].column", "fields.d.min", "fields.n.min"),
                fields(e2));
    }

    @Test
    void unknownMembersAndBadVersionAreNamed() {
        ProblemException e = assertThrows(ProblemException.class, () -> PARSER.parse(
                "{\"name\":\"x\",\"version\":\"v1\",\"dataset\":\"d\",\"colour\":1,\"fields\":{\"a\":{\"type\":\"string\"}}}", false));
        assertTrue(fields(e).containsAll(List.of("version", "colour")), fields(e).toString());
    }

    @SuppressWarnings("unchecked")
    static List<String> fields(ProblemException e) {
        return ((List<Map<String, String>>) e.extensions().get("errors")).stream().map(m -> m.get("field")).toList();
    }
}
