package io.hotpass.contracts.validation;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotpass.contracts.testing.FakeIngest;
import io.hotpass.contracts.testing.FakeIngestResource;
import io.hotpass.platform.testing.RecordingReceiver;
import io.hotpass.platform.testing.RecordingReceiverResource;
import io.hotpass.platform.testing.TestDatabase;
import io.hotpass.platform.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Validation runs end to end, with ingest-service played by a server speaking its NDJSON contract. */
@QuarkusTest
@QuarkusTestResource(FakeIngestResource.class)
@QuarkusTestResource(RecordingReceiverResource.class)
class ValidationResourceTest {

    static final FakeIngest INGEST = FakeIngestResource.INGEST;
    static final RecordingReceiver LINEAGE = RecordingReceiverResource.RECEIVER;
    static final RestAssuredConfig YAML = io.restassured.RestAssured.config()
            .encoderConfig(EncoderConfig.encoderConfig().encodeContentTypeAs("application/yaml", ContentType.TEXT));

    static String tenant() {
        return "val-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Row i of the test dataset; its defects are at known positions. */
    static Map<String, Object> row(int i) {
        Map<String, Object> m = new HashMap<>();
        m.put("_rowId", "r" + i);
        m.put("name", i % 100 == 0 ? "" : "Org <b>" + i + "</b>");
        m.put("email", i % 20 == 0 ? "not-an-email<script>" : "x" + i + "@example.org");
        m.put("registration_number", i % 500 == 499 ? "REG-" + (i - 1) : "REG-" + i);
        m.put("fleet_size", i % 50 == 0 ? -3 : i % 40);
        m.put("country", i % 10 == 0 ? "ZZ" : "ZA");
        return m;
    }

    static String contract(String name, String dataset, String refDataset) {
        return "name: " + name + "\nversion: 1.0.0\ndataset: " + dataset + "\nfields:\n"
                + "  name: {type: string, required: true}\n"
                + "  email: {type: string, format: email, mostly: 0.9}\n"
                + "  registration_number: {type: string, required: true, unique: true}\n"
                + "  fleet_size: {type: integer, min: 0, severity: warn}\n"
                + "  country: {type: string}\n"
                + "  category: {type: string}\n"
                + "expectations:\n"
                + "  - {type: row_count, min: 1}\n"
                + "  - {type: referential, column: country, refDataset: " + refDataset + ", refColumn: code, mostly: 0.8}\n";
    }

    static void activeContract(String token, String dataset, String refDataset) {
        String id = given().config(YAML).auth().oauth2(token).contentType("application/yaml")
                .body(contract("c-" + dataset, dataset, refDataset)).post("/contracts").then().statusCode(201).extract().path("id");
        given().auth().oauth2(token).post("/contracts/" + id + "/activate").then().statusCode(200);
    }

    static ValidatableResponse validate(String token, UUID dataset, int version) {
        return given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"datasetId\":\"" + dataset + "\",\"version\":" + version + "}").post("/validations").then();
    }

    @Test
    void validationStreamsRowsReportsEachExpectationAndEmitsLineage() {
        String tenant = tenant();
        String token = TestTokens.forTenant(tenant);
        INGEST.add(tenant, "countries", 1, 3, i -> Map.of("_rowId", "c" + i, "code", List.of("ZA", "BW", "NA").get(i)));
        FakeIngest.Dataset ds = INGEST.add(tenant, "orgs", 3, 2_000, ValidationResourceTest::row);
        activeContract(token, "orgs", "countries");

        String id = validate(token, ds.id(), 2).statusCode(201)
                .header("Location", containsString("/validations/"))
                .body("status", equalTo("failed"))
                .body("datasetName", equalTo("orgs")).body("version", equalTo(2)).body("rowCount", equalTo(2000))
                .body("contract.version", equalTo("1.0.0"))
                .body("expectations.find { it.id == 'name.required' }.failingCount", equalTo(20))
                .body("expectations.find { it.id == 'name.required' }.success", equalTo(false))
                .body("expectations.find { it.id == 'email.format' }.failingCount", equalTo(100))
                .body("expectations.find { it.id == 'email.format' }.success", equalTo(true))
                .body("expectations.find { it.id == 'registration_number.unique' }.failingCount", equalTo(4))
                .body("expectations.find { it.id == 'registration_number.unique' }.failingSamples[0].rowId", equalTo("r499"))
                .body("expectations.find { it.id == 'fleet_size.range' }.failingCount", equalTo(40))
                .body("expectations.find { it.id == 'fleet_size.range' }.failingSamples", hasSize(20))
                .body("expectations.find { it.id == 'referential(country->countries.code)' }.failingCount", equalTo(200))
                .body("expectations.find { it.id == 'row_count' }.observed", equalTo(2000))
                .body("summary.failedErrors", equalTo(2)).body("summary.failedWarnings", equalTo(1))
                .extract().path("id");
        // The caller's token went to ingest (through the gateway) unchanged.
        assertTrue(INGEST.authorizations.contains("Bearer " + token));

        given().auth().oauth2(token).get("/validations/" + id).then().statusCode(200).body("status", equalTo("failed"));
        given().auth().oauth2(token).queryParam("datasetId", ds.id().toString()).get("/validations").then().statusCode(200)
                .body("items.id", hasItem(id)).body("items[0].expectations", equalTo(null));
        String html = given().auth().oauth2(token).get("/validations/" + id + "/report.html").then().statusCode(200)
                .contentType(containsString("text/html")).extract().asString();
        assertTrue(html.indexOf("failed") < html.indexOf("Expectations"), "summary first");
        assertTrue(html.contains("Failing samples: <code>name.required</code>"));
        assertTrue(html.contains("not-an-email&lt;script&gt;") && !html.contains("<script>"), "values are escaped");
        given().auth().oauth2(TestTokens.forTenant("globex")).get("/validations/" + id).then().statusCode(404)
                .body("code", equalTo("validation_not_found"));

        // START and COMPLETE reach lineage through the outbox, with the data quality facets.
        await().atMost(Duration.ofSeconds(30)).until(() -> LINEAGE.applied().values().stream()
                .filter(b -> b.contains(id)).count() == 2);
        String complete = LINEAGE.applied().values().stream().filter(b -> b.contains(id) && b.contains("\"COMPLETE\""))
                .findFirst().orElseThrow();
        assertTrue(complete.contains("\"dataQualityAssertions\"") && complete.contains("\"dataQualityMetrics\""), complete);
        assertTrue(complete.replace(" ", "").contains("\"namespace\":\"" + tenant + "\""), complete);
    }

    @Test
    void badRequestsAreClearAndSaveNothing() throws Exception {
        String tenant = tenant();
        String token = TestTokens.forTenant(tenant);
        FakeIngest.Dataset ds = INGEST.add(tenant, "no-contract", 1, 10, ValidationResourceTest::row);
        validate(token, ds.id(), 0).statusCode(422).body("code", equalTo("no_active_contract"));
        activeContract(token, "no-contract", "countries");
        validate(token, ds.id(), 7).statusCode(404).body("code", equalTo("dataset_version_not_found"));
        validate(token, UUID.randomUUID(), 0).statusCode(404).body("code", equalTo("dataset_not_found"));
        validate(TestTokens.forTenant("globex"), ds.id(), 0).statusCode(404).body("code", equalTo("dataset_not_found"));
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"version\":0}").post("/validations")
                .then().statusCode(400).body("errors.field", hasItem("datasetId"));
        given().contentType(ContentType.JSON).body("{\"datasetId\":\"" + ds.id() + "\",\"version\":0}").post("/validations")
                .then().statusCode(401);
        assertEquals(0, runs(tenant));
    }

    @Test
    void aStreamThatBreaksOffIsRecordedAsErrorAndFailsTheGate() throws Exception {
        String tenant = tenant();
        String token = TestTokens.forTenant(tenant);
        FakeIngest.Dataset ds = INGEST.add(tenant, "flaky", 1, 1_000, ValidationResourceTest::row, 500);
        activeContract(token, "flaky", "countries");
        validate(token, ds.id(), 0).statusCode(502).body("code", equalTo("upstream_unavailable"));
        assertEquals(1, runs(tenant));
        given().auth().oauth2(token).queryParam("datasetId", ds.id().toString()).get("/validations").then()
                .body("items[0].status", equalTo("error")).body("items[0].errorCode", equalTo("upstream_unavailable"));
        given().auth().oauth2(token).get("/gates/" + ds.id() + "/0").then().statusCode(200).body("pass", equalTo(false))
                .body("reasons.code", hasItem("validation_error"));
    }

    @jakarta.inject.Inject
    StaleRunSweeper sweeper;

    @Test
    void runsLeftRunningByADeadProcessAreFailedWithTheirLineageFailEvent() throws Exception {
        String tenant = tenant();
        String token = TestTokens.forTenant(tenant);
        FakeIngest.Dataset ds = INGEST.add(tenant, "swept", 1, 100, ValidationResourceTest::row, -1);
        activeContract(token, "swept", "countries");
        String old = validate(token, ds.id(), 0).extract().path("id");
        String fresh = validate(token, ds.id(), 0).extract().path("id");
        // As a process that died mid-run leaves them: still running, no result; one long ago, one just now.
        try (Connection c = TestDatabase.asOwner("hotpass_contracts_test"); java.sql.Statement st = c.createStatement()) {
            st.executeUpdate("update validation_run set status = 'running', finished_at = null, result = null,"
                    + " started_at = now() - interval '1 hour' where id = '" + old + "'");
            st.executeUpdate("update validation_run set status = 'running', finished_at = null, result = null"
                    + " where id = '" + fresh + "'");
        }
        assertTrue(sweeper.failStale(java.time.Duration.ofMinutes(5)) >= 1);
        given().auth().oauth2(token).get("/validations/" + old).then().statusCode(200).body("status", equalTo("error"))
                .body("error", org.hamcrest.Matchers.startsWith("interrupted")).body("errorCode", equalTo("run_interrupted"));
        given().auth().oauth2(token).get("/validations/" + fresh).then().statusCode(200).body("status", equalTo("running"));
        try (Connection c = TestDatabase.asOwner("hotpass_contracts_test");
                java.sql.PreparedStatement ps = c.prepareStatement("select count(*) from outbox_event where destination ="
                        + " 'lineage' and payload->>'eventType' = 'FAIL' and payload->'run'->>'runId' = ?")) {
            ps.setString(1, old);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(1, rs.getLong(1), "the run is closed in lineage too");
            }
        }
        assertEquals(0, sweeper.failStale(java.time.Duration.ofMinutes(5)), "a swept run is not swept again");
        try (Connection c = TestDatabase.asOwner("hotpass_contracts_test"); java.sql.Statement st = c.createStatement()) {
            st.executeUpdate("update validation_run set status = 'error', finished_at = now() where id = '" + fresh + "'");
        }
    }

    @Test
    void idempotencyKeyReturnsTheFirstRun() {
        String tenant = tenant();
        String token = TestTokens.forTenant(tenant);
        FakeIngest.Dataset ds = INGEST.add(tenant, "idem", 2, 50, ValidationResourceTest::row);
        activeContract(token, "idem", "countries");
        String first = given().auth().oauth2(token).header("Idempotency-Key", "k-1").contentType(ContentType.JSON)
                .body("{\"datasetId\":\"" + ds.id() + "\",\"version\":1}").post("/validations").then().statusCode(201)
                .extract().path("id");
        given().auth().oauth2(token).header("Idempotency-Key", "k-1").contentType(ContentType.JSON)
                .body("{\"datasetId\":\"" + ds.id() + "\",\"version\":1}").post("/validations").then().statusCode(201)
                .header("Idempotent-Replayed", "true").body("id", equalTo(first));
        given().auth().oauth2(token).header("Idempotency-Key", "k-1").contentType(ContentType.JSON)
                .body("{\"datasetId\":\"" + ds.id() + "\",\"version\":0}").post("/validations").then().statusCode(422)
                .body("code", equalTo("idempotency_key_reused"));
    }

    @Test
    void gateAndCoverage() {
        String tenant = tenant();
        String token = TestTokens.forTenant(tenant);
        FakeIngest.Dataset good = INGEST.add(tenant, "good", 1, 100, i -> Map.of("_rowId", "g" + i, "name", "Org " + i,
                "registration_number", "R" + i, "country", "ZA"));
        FakeIngest.Dataset bad = INGEST.add(tenant, "bad", 1, 100, ValidationResourceTest::row);
        FakeIngest.Dataset bare = INGEST.add(tenant, "bare", 1, 5, ValidationResourceTest::row);
        INGEST.add(tenant, "countries", 1, 1, i -> Map.of("_rowId", "c0", "code", "ZA"));

        given().auth().oauth2(token).get("/gates/" + bare.id() + "/0").then().statusCode(200).body("pass", equalTo(false))
                .body("reasons.code", hasItem("no_contract"));
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"reason\":\"legacy feed\"}")
                .put("/exemptions/bare").then().statusCode(200).body("dataset", equalTo("bare"));
        given().auth().oauth2(token).get("/gates/" + bare.id() + "/0").then().body("pass", equalTo(true))
                .body("reasons.code", hasItem("exempt"));

        activeContract(token, "good", "countries");
        activeContract(token, "bad", "countries");
        given().auth().oauth2(token).get("/gates/" + good.id() + "/0").then().body("pass", equalTo(false))
                .body("reasons.code", hasItem("not_validated"));
        validate(token, good.id(), 0).statusCode(201).body("status", equalTo("passed"));
        given().auth().oauth2(token).get("/gates/" + good.id() + "/0").then().body("pass", equalTo(true))
                .body("reasons", hasSize(0));
        validate(token, bad.id(), 0).statusCode(201).body("status", equalTo("failed"));
        given().auth().oauth2(token).get("/gates/" + bad.id() + "/0").then().body("pass", equalTo(false))
                .body("reasons.code", hasItems("expectation_failed", "expectation_warned"))
                .body("reasons.detail", hasItem(containsString("name.required")));
        given().auth().oauth2(token).get("/gates/" + bad.id() + "/5").then().statusCode(404)
                .body("code", equalTo("dataset_version_not_found"));

        given().auth().oauth2(token).get("/coverage").then().statusCode(200)
                .body("datasets", equalTo(4)).body("covered", equalTo(2)).body("exempt", equalTo(1))
                .body("percent", equalTo(50.0f))
                .body("items.find { it.dataset == 'good' }.contract", equalTo("c-good"))
                .body("items.find { it.dataset == 'countries' }.covered", equalTo(false));
        given().auth().oauth2(token).delete("/exemptions/bare").then().statusCode(204);
        given().auth().oauth2(token).delete("/exemptions/bare").then().statusCode(404).body("code", equalTo("exemption_not_found"));
        given().auth().oauth2(token).get("/exemptions").then().body("dataset", not(hasItem("bare")));
    }

    @Test
    void profilesPerVersionAndDriftAlertsAgainstThePreviousVersion() {
        String tenant = tenant();
        String token = TestTokens.forTenant(tenant);
        // Version 0: categories spread evenly, fleet sizes around 10. Version 1: one category dominates,
        // fleet sizes around 40. Both must raise an alert; names (all distinct) must not.
        FakeIngest.Dataset ds = INGEST.add(tenant, "drifty", 2, 4_000, i -> Map.of("_rowId", "d" + i,
                "name", "Org " + i, "registration_number", "R" + i, "country", "ZA",
                "category", List.of("Charter", "Club", "Airline", "Maintenance").get(i % 4),
                "fleet_size", 5 + i % 11));
        activeContract(token, "drifty", "countries");
        INGEST.add(tenant, "countries", 1, 1, i -> Map.of("_rowId", "c0", "code", "ZA"));
        validate(token, ds.id(), 0).statusCode(201);
        given().auth().oauth2(token).get("/alerts?datasetId=" + ds.id()).then().statusCode(200).body("", hasSize(0));
        given().auth().oauth2(token).get("/profiles/" + ds.id() + "/0").then().statusCode(200)
                .body("rowCount", equalTo(4000))
                .body("columns.find { it.name == 'fleet_size' }.min", equalTo(5.0f))
                .body("columns.find { it.name == 'fleet_size' }.max", equalTo(15.0f))
                .body("columns.find { it.name == 'fleet_size' }.quantiles.p50", equalTo(10.0f))
                .body("columns.find { it.name == 'name' }.distinct", org.hamcrest.Matchers.both(
                        org.hamcrest.Matchers.greaterThan(3700)).and(org.hamcrest.Matchers.lessThan(4300)))
                .body("columns.find { it.name == 'name' }.length.max", equalTo(8))
                .body("columns.find { it.name == 'category' }.topValues", hasSize(4))
                .body("columns.find { it.name == 'email' }.nulls", equalTo(4000));

        FakeIngest.Dataset shifted = INGEST.add(tenant, "drifty", 2, 4_000, i -> Map.of("_rowId", "d" + i,
                "name", "Org " + i, "registration_number", "R" + i, "country", "ZA",
                "category", i % 10 == 0 ? "Club" : "Charter", "fleet_size", 35 + i % 11));
        // Same dataset id as far as the contract and profiles go: reuse the first dataset's id for version 1.
        INGEST.replaceRows(ds.id(), shifted);
        validate(token, ds.id(), 1).statusCode(201);
        given().auth().oauth2(token).get("/alerts?datasetId=" + ds.id()).then().statusCode(200)
                .body("column", containsInAnyOrder("category", "fleet_size"))
                .body("kind", containsInAnyOrder("psi", "quantile_shift"))
                .body("baselineVersion", org.hamcrest.Matchers.everyItem(equalTo(0)))
                .body("version", org.hamcrest.Matchers.everyItem(equalTo(1)));
        given().auth().oauth2(TestTokens.forTenant("globex")).get("/alerts?datasetId=" + ds.id()).then().body("", hasSize(0));
        given().auth().oauth2(token).get("/profiles/" + ds.id() + "/7").then().statusCode(404)
                .body("code", equalTo("profile_not_found"));
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("hotpass_contracts_drift_alerts_total{kind=\"psi\"}"), "alerts are counted in metrics");
    }

    static int runs(String tenant) throws Exception {
        try (Connection c = TestDatabase.asOwner("hotpass_contracts_test");
                PreparedStatement ps = c.prepareStatement("select count(*) from validation_run where tenant_id = ?")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
