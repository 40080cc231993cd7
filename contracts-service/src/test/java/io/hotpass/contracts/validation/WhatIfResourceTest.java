package io.hotpass.contracts.validation;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
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
import io.restassured.response.ValidatableResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code POST /validations/what-if}: a version with a change set applied, validated and not stored. */
@QuarkusTest
@QuarkusTestResource(FakeIngestResource.class)
@QuarkusTestResource(RecordingReceiverResource.class)
class WhatIfResourceTest {

    static final FakeIngest INGEST = FakeIngestResource.INGEST;
    static final RecordingReceiver LINEAGE = RecordingReceiverResource.RECEIVER;

    static ValidatableResponse whatIf(String token, UUID dataset, int version, String changes) {
        return given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"datasetId\":\"" + dataset + "\",\"version\":" + version + ",\"changes\":" + changes + "}")
                .post("/validations/what-if").then();
    }

    /** 200 rows of {@link ValidationResourceTest#row}: names r0 and r100 are blank (name.required, an error). */
    static FakeIngest.Dataset setUp(String tenant, String token, String name) {
        INGEST.add(tenant, "countries", 1, 3, i -> Map.of("_rowId", "c" + i, "code", List.of("ZA", "BW", "NA").get(i)));
        FakeIngest.Dataset ds = INGEST.add(tenant, name, 1, 200, ValidationResourceTest::row);
        ValidationResourceTest.activeContract(token, name, "countries");
        return ds;
    }

    @Test
    void changesThatRepairTheVersionPassItsErrorExpectations() throws Exception {
        String tenant = ValidationResourceTest.tenant();
        String token = TestTokens.forTenant(tenant);
        FakeIngest.Dataset ds = setUp(tenant, token, "repairable");
        // As it is, the version fails name.required.
        whatIf(token, ds.id(), 0, "[]").statusCode(200).body("status", equalTo("failed"))
                .body("failedErrors", contains("name.required"))
                .body("expectations.find { it.id == 'name.required' }.failingCount", equalTo(2));

        whatIf(token, ds.id(), 0, "[{\"op\":\"upsert\",\"rowId\":\"r0\",\"values\":{\"name\":\"Fixed Org\"}},"
                + "{\"op\":\"upsert\",\"rowId\":\"r100\",\"values\":{\"name\":\"Fixed Too\"}}]").statusCode(200)
                .body("status", equalTo("warned")).body("datasetName", equalTo("repairable")).body("version", equalTo(0))
                .body("contract.name", equalTo("c-repairable")).body("contract.version", equalTo("1.0.0"))
                .body("rowCount", equalTo(200))
                .body("failedErrors", hasSize(0)).body("failedWarnings", contains("fleet_size.range"))
                .body("summary.failedErrors", equalTo(0)).body("summary.failedWarnings", equalTo(1))
                .body("changes.upserted", equalTo(2)).body("changes.added", equalTo(0))
                .body("expectations.find { it.id == 'name.required' }.success", equalTo(true));
        // The caller's token went to ingest (through the gateway) unchanged.
        assertTrue(INGEST.authorizations.contains("Bearer " + token));
        assertNothingStored(tenant, token, ds.id());
    }

    @Test
    void changesThatBreakAnExpectationAreNamedWithTheirRows() throws Exception {
        String tenant = ValidationResourceTest.tenant();
        String token = TestTokens.forTenant(tenant);
        FakeIngest.Dataset ds = setUp(tenant, token, "breakable");
        whatIf(token, ds.id(), 0, "[{\"op\":\"upsert\",\"rowId\":\"r0\",\"values\":{\"name\":\"Fixed Org\"}},"
                + "{\"op\":\"upsert\",\"rowId\":\"r100\",\"values\":{\"name\":\"Fixed Too\"}},"
                + "{\"op\":\"upsert\",\"rowId\":\"r5\",\"values\":{\"registration_number\":\"REG-6\"}},"
                + "{\"op\":\"delete\",\"rowId\":\"r7\"},"
                + "{\"op\":\"delete\",\"rowId\":\"ghost\"},"
                + "{\"op\":\"upsert\",\"rowId\":\"n-1\",\"values\":{\"name\":\"New Org\",\"registration_number\":\"REG-7\","
                + "\"country\":\"ZA\"}}]").statusCode(200)
                .body("status", equalTo("failed"))
                .body("failedErrors", contains("registration_number.unique"))
                // r7 is gone and n-1 came after the last row with r7's old number: still unique, so r6 is the repeat.
                .body("expectations.find { it.id == 'registration_number.unique' }.failingCount", equalTo(1))
                .body("expectations.find { it.id == 'registration_number.unique' }.failingSamples[0].rowId", equalTo("r6"))
                .body("rowCount", equalTo(200))
                .body("changes.upserted", equalTo(3)).body("changes.added", equalTo(1))
                .body("changes.deleted", equalTo(1)).body("changes.unknownDeletes", equalTo(1));
        // A null clears a field, as in ingest's change set: a required field then fails.
        whatIf(token, ds.id(), 0, "[{\"op\":\"upsert\",\"rowId\":\"r1\",\"values\":{\"registration_number\":null}}]")
                .statusCode(200)
                .body("expectations.find { it.id == 'registration_number.required' }.failingSamples[0].rowId", equalTo("r1"))
                .body("failedErrors", hasItem("registration_number.required"));
        assertNothingStored(tenant, token, ds.id());
    }

    @Test
    void aChangeSetOfTheMostChangesIngestTakesIsChecked() {
        String tenant = ValidationResourceTest.tenant();
        String token = TestTokens.forTenant(tenant);
        FakeIngest.Dataset ds = setUp(tenant, token, "bulk");
        // 100,000 new rows with long names: a body over Quarkus' default 10 MiB limit.
        StringBuilder changes = new StringBuilder("[");
        String pad = "x".repeat(60);
        for (int i = 0; i < 100_000; i++) {
            changes.append(i == 0 ? "" : ",").append("{\"op\":\"upsert\",\"rowId\":\"n").append(i)
                    .append("\",\"values\":{\"name\":\"Org ").append(pad).append("\",\"registration_number\":\"N-")
                    .append(i).append("\"}}");
        }
        changes.append(']');
        assertTrue(changes.length() > 10 * 1024 * 1024, "the body is " + changes.length() + " characters");
        whatIf(token, ds.id(), 0, changes.toString()).statusCode(200)
                .body("rowCount", equalTo(100_200)).body("changes.added", equalTo(100_000))
                .body("expectations.find { it.id == 'registration_number.unique' }.evaluated", equalTo(100_200));
    }

    @Test
    void badRequestsAndMissingThingsAreClear() {
        String tenant = ValidationResourceTest.tenant();
        String token = TestTokens.forTenant(tenant);
        FakeIngest.Dataset bare = INGEST.add(tenant, "uncontracted", 1, 10, ValidationResourceTest::row);
        whatIf(token, bare.id(), 0, "[]").statusCode(422).body("code", equalTo("no_active_contract"));
        FakeIngest.Dataset ds = setUp(tenant, token, "strict");
        whatIf(token, ds.id(), 3, "[]").statusCode(404).body("code", equalTo("dataset_version_not_found"));
        whatIf(token, UUID.randomUUID(), 0, "[]").statusCode(404).body("code", equalTo("dataset_not_found"));
        whatIf(TestTokens.forTenant("globex"), ds.id(), 0, "[]").statusCode(404).body("code", equalTo("dataset_not_found"));
        whatIf(token, ds.id(), 0, "[{\"op\":\"delete\",\"rowId\":\"r1\"},{\"op\":\"delete\",\"rowId\":\"r1\"}]")
                .statusCode(400).body("errors.field", hasItem("changes[1].rowId"));
        whatIf(token, ds.id(), 0, "[{\"op\":\"upsert\",\"rowId\":\"r1\"}]").statusCode(400)
                .body("errors.field", hasItem("changes[0].values"));
        whatIf(token, ds.id(), 0, "[{\"op\":\"upsert\",\"rowId\":\"r1\",\"values\":{\"_flags\":\"x\"}}]").statusCode(400)
                .body("errors.field", hasItem("changes[0].values._flags"));
        whatIf(token, ds.id(), 0, "[{\"op\":\"replace\",\"rowId\":\"r1\",\"values\":{\"name\":\"x\"}}]").statusCode(400)
                .body("code", equalTo("validation_failed"));
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"datasetId\":\"" + ds.id() + "\",\"version\":0}")
                .post("/validations/what-if").then().statusCode(400).body("errors.field", hasItem("changes"));
        given().contentType(ContentType.JSON).body("{\"datasetId\":\"" + ds.id() + "\",\"version\":0,\"changes\":[]}")
                .post("/validations/what-if").then().statusCode(401);
    }

    @Test
    void aStreamThatBreaksOffIsUpstreamUnavailableAndStoresNothing() throws Exception {
        String tenant = ValidationResourceTest.tenant();
        String token = TestTokens.forTenant(tenant);
        FakeIngest.Dataset ds = INGEST.add(tenant, "flaky-wi", 1, 1_000, ValidationResourceTest::row, 500);
        ValidationResourceTest.activeContract(token, "flaky-wi", "countries");
        whatIf(token, ds.id(), 0, "[]").statusCode(502).body("code", equalTo("upstream_unavailable"));
        assertEquals(0, ValidationResourceTest.runs(tenant));
    }

    /** No run, no profile, no lineage event: a what-if leaves no trace. */
    static void assertNothingStored(String tenant, String token, UUID dataset) throws Exception {
        assertEquals(0, ValidationResourceTest.runs(tenant));
        given().auth().oauth2(token).get("/profiles/" + dataset + "/0").then().statusCode(404);
        given().auth().oauth2(token).get("/alerts?datasetId=" + dataset).then().statusCode(200).body("", hasSize(0));
        try (Connection c = TestDatabase.asOwner("hotpass_contracts_test");
                PreparedStatement ps = c.prepareStatement("select count(*) from outbox_event where tenant_id = ?")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(0, rs.getLong(1), "nothing went to the outbox");
            }
        }
        assertTrue(LINEAGE.applied().values().stream().noneMatch(b -> b.contains(tenant)), "nothing reached lineage");
    }
}
