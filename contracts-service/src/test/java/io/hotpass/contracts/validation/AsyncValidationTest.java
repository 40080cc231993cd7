package io.hotpass.contracts.validation;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
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
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * Asynchronous validation runs end to end with the default (in-process) launcher: POST answers 202
 * with the run queued, the dispatcher wakes and a pool thread validates it with the service API key
 * for the run's tenant, GET shows it running with its progress while ingest's stream is held, then
 * the same result the synchronous mode gives. The stale-run sweeper leaves queued runs alone.
 */
@QuarkusTest
@QuarkusTestResource(FakeIngestResource.class)
@QuarkusTestResource(RecordingReceiverResource.class)
class AsyncValidationTest {

    static final FakeIngest INGEST = FakeIngestResource.INGEST;
    static final RecordingReceiver LINEAGE = RecordingReceiverResource.RECEIVER;

    @Inject
    StaleRunSweeper sweeper;

    static ValidatableResponse validateAsync(String token, UUID dataset, int version, String idemKey) {
        var req = given().auth().oauth2(token).contentType(ContentType.JSON);
        if (idemKey != null) {
            req = req.header("Idempotency-Key", idemKey);
        }
        return req.body("{\"datasetId\":\"" + dataset + "\",\"version\":" + version + ",\"mode\":\"async\"}")
                .post("/validations").then();
    }

    static JsonPath get(String token, String id) {
        return given().auth().oauth2(token).get("/validations/" + id).then().statusCode(200).extract().jsonPath();
    }

    static Object[] queueRow(String id) throws Exception {
        try (Connection c = TestDatabase.asOwner("hotpass_contracts_test"); PreparedStatement ps = c.prepareStatement(
                "select state, attempts from validation_run_queue where run_id = ?::uuid")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Object[] {rs.getString(1), rs.getInt(2)} : null;
            }
        }
    }

    @Test
    void anAsyncRunIsQueuedShowsItsProgressAndEndsWithTheSameResultAsASyncRun() throws Exception {
        String tenant = ValidationResourceTest.tenant();
        String token = TestTokens.forTenant(tenant);
        INGEST.add(tenant, "countries", 1, 3, i -> Map.of("_rowId", "c" + i, "code", List.of("ZA", "BW", "NA").get(i)));
        FakeIngest.Dataset ds = INGEST.add(tenant, "orgs", 3, 2_000, ValidationResourceTest::row);
        ValidationResourceTest.activeContract(token, "orgs", "countries");
        JsonPath sync = ValidationResourceTest.validate(token, ds.id(), 2).statusCode(201).extract().jsonPath();

        CountDownLatch gate = INGEST.hold(ds.id(), 700);
        String key = "async-" + UUID.randomUUID();
        String id = validateAsync(token, ds.id(), 2, key).statusCode(202)
                .header("Location", containsString("/validations/"))
                .body("status", equalTo("queued")).body("progress.rowsRead", equalTo(0))
                .body("expectations", nullValue()).body("contract.version", equalTo("1.0.0"))
                .extract().path("id");
        assertTrue(queueRow(id) != null, "the run is in the queue");

        // Running, held by ingest after 700 rows: the heartbeat reports how far it got.
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonPath p = get(token, id);
            return "running".equals(p.getString("status")) && Integer.valueOf(700).equals(p.get("progress.rowsRead"));
        });
        assertTrue(INGEST.authorizations.contains("ApiKey " + tenant),
                "the runner reads ingest with the service API key for the run's tenant");
        // The same Idempotency-Key returns the first run, not a second one.
        validateAsync(token, ds.id(), 2, key).statusCode(202).header(io.hotpass.platform.idempotency.IdempotentRequests.REPLAYED_HEADER, "true")
                .body("id", equalTo(id));

        gate.countDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> !List.of("queued", "running").contains(get(token, id)
                .getString("status")));
        JsonPath done = get(token, id);
        assertEquals(sync.getString("status"), done.getString("status"));
        assertEquals("failed", done.getString("status"));
        assertEquals(2000, done.getInt("rowCount"));
        assertEquals(sync.getMap("summary"), done.getMap("summary"));
        assertEquals(20, done.getInt("expectations.find { it.id == 'name.required' }.failingCount"));
        assertEquals(200, done.getInt("expectations.find { it.id == 'referential(country->countries.code)' }.failingCount"));
        assertEquals(null, done.getMap("progress"));
        assertEquals(List.of("done", 1), java.util.Arrays.asList(queueRow(id)));
        given().auth().oauth2(token).queryParam("datasetId", ds.id().toString()).get("/validations").then()
                .body("items.id", hasItem(id));
        // START and COMPLETE reach lineage, as for a synchronous run.
        await().atMost(Duration.ofSeconds(30)).until(() -> LINEAGE.applied().values().stream()
                .filter(b -> b.contains(id)).count() == 2);
        assertTrue(LINEAGE.applied().values().stream().anyMatch(b -> b.contains(id) && b.contains("\"COMPLETE\"")));
    }

    @Test
    void theStaleRunSweeperLeavesQueuedRunsToTheQueue() throws Exception {
        String tenant = ValidationResourceTest.tenant();
        String token = TestTokens.forTenant(tenant);
        FakeIngest.Dataset ds = INGEST.add(tenant, "slow", 1, 300, ValidationResourceTest::row);
        ValidationResourceTest.activeContract(token, "slow", "countries");
        CountDownLatch gate = INGEST.hold(ds.id(), 100);
        String id = validateAsync(token, ds.id(), 0, null).statusCode(202).extract().path("id");
        await().atMost(Duration.ofSeconds(30)).until(() -> "running".equals(get(token, id).getString("status")));
        try (Connection c = TestDatabase.asOwner("hotpass_contracts_test"); java.sql.Statement st = c.createStatement()) {
            st.executeUpdate("update validation_run set started_at = now() - interval '1 hour' where id = '" + id + "'");
        }
        sweeper.failStale(Duration.ofMinutes(5));
        assertEquals("running", get(token, id).getString("status"), "a queued run is not the sweeper's");
        gate.countDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> "failed".equals(get(token, id).getString("status")));
        assertEquals(300, get(token, id).getInt("rowCount"));
    }

    @Test
    void asyncRequestsAreCheckedBeforeAnythingIsQueued() throws Exception {
        String tenant = ValidationResourceTest.tenant();
        String token = TestTokens.forTenant(tenant);
        FakeIngest.Dataset ds = INGEST.add(tenant, "checked", 1, 10, ValidationResourceTest::row);
        validateAsync(token, ds.id(), 0, null).statusCode(422).body("code", equalTo("no_active_contract"));
        ValidationResourceTest.activeContract(token, "checked", "countries");
        validateAsync(token, ds.id(), 5, null).statusCode(404).body("code", equalTo("dataset_version_not_found"));
        validateAsync(token, UUID.randomUUID(), 0, null).statusCode(404).body("code", equalTo("dataset_not_found"));
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"datasetId\":\"" + ds.id() + "\",\"version\":0,\"mode\":\"later\"}").post("/validations")
                .then().statusCode(400).body("errors.field", hasItem("mode"));
        try (Connection c = TestDatabase.asOwner("hotpass_contracts_test"); PreparedStatement ps = c.prepareStatement(
                "select count(*) from validation_run_queue where tenant_id = ?")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(0, rs.getLong(1));
            }
        }
    }
}
