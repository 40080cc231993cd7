package io.hotpass.enrichment.plan;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotpass.platform.testing.TestDatabase;
import io.hotpass.platform.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Commit checks the approved changes with contracts-service's what-if first: a plan that would fail
 * an error-severity expectation needs an explicit override; no contract commits as before; no
 * verdict commits nothing.
 */
@QuarkusTest
@QuarkusTestResource(IngestStub.class)
class PlanWhatIfTest {

    private static final String ACME = TestTokens.forTenant("acme");
    /** Only Johannesburg numbers (+2711…): the registry's Cape Town number (+2721…) breaks it. */
    private static final ContractsStub.Rule JHB_PHONES = new ContractsStub.Rule("phone.pattern", "phone", "error",
            v -> v.startsWith("+2711"));

    private String registry() {
        UUID reg = IngestStub.dataset("caa-register", List.of(IngestStub.row("_rowId", "c1", "name", "Blue Sky Aviation (Pty) Ltd",
                "registration_number", "2001/123456/07", "phone", "+27215550123", "email", "info@bluesky.co.za")));
        String name = "caa-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(ACME).contentType(ContentType.JSON)
                .body(Map.of("name", name, "datasetId", reg, "matchOn", List.of("registration_number", "name")))
                .post("/registries").then().statusCode(201);
        return name;
    }

    /** r1 gets a phone (+27215550123) and a new email from the registry; r2 is untouched. */
    private UUID dataset(ContractsStub.Rule... contract) {
        UUID ds = IngestStub.dataset("orgs", List.of(
                IngestStub.row("_rowId", "r1", "name", "Blue Sky Aviation", "registration_number", "2001/123456/07", "phone", null,
                        "email", "old@bluesky.co.za", "city", "Cape Town"),
                IngestStub.row("_rowId", "r2", "name", "Nobody Ltd", "registration_number", "1999/000001/07", "phone",
                        "+27110000000")));
        if (contract.length > 0) {
            ContractsStub.CONTRACTS.put(ds, List.of(contract));
        }
        return ds;
    }

    /** A ready plan over the dataset with every change approved. */
    private String approvedPlan(UUID ds) {
        String id = given().auth().oauth2(ACME).contentType(ContentType.JSON)
                .body(Map.of("datasetId", ds, "version", 1, "fields", List.of("phone", "email"), "sources",
                        List.of("registry:" + registry())))
                .post("/plans").then().statusCode(201).extract().path("id");
        await().atMost(Duration.ofSeconds(20)).until(() -> "ready".equals(
                given().auth().oauth2(ACME).get("/plans/" + id).then().statusCode(200).extract().path("status")));
        given().auth().oauth2(ACME).contentType(ContentType.JSON).body(Map.of("approveAbove", 0))
                .patch("/plans/" + id).then().statusCode(200);
        return id;
    }

    @Test
    void aPlanThatWouldBreakAnErrorExpectationIsRefusedUntilOverriddenAndTheOverrideIsRecorded() throws Exception {
        UUID ds = dataset(JHB_PHONES, new ContractsStub.Rule("email.domain", "email", "warn", v -> v.endsWith(".org")));
        String id = approvedPlan(ds);

        given().auth().oauth2(ACME).get("/plans/" + id + "/what-if").then().statusCode(200)
                .body("contractApplies", equalTo(true)).body("wouldBreakContract", equalTo(true))
                .body("approvedChanges", equalTo(1))
                .body("failedErrors", contains("phone.pattern")).body("failedWarnings", contains("email.domain"))
                .body("report.contract.name", equalTo("c-orgs")).body("report.status", equalTo("failed"))
                .body("plan.status", equalTo("ready"));
        // The what-if got the approved changes (only the approved fields) on the plan's version, as the caller.
        Map<String, Object> asked = ContractsStub.requestsFor(ds).get(0);
        assertEquals("Bearer " + ACME, asked.get("authorization"));
        assertEquals(Map.of("datasetId", ds.toString(), "version", 1, "changes", List.of(Map.of("op", "upsert",
                "rowId", "r1", "values", Map.of("phone", "+27215550123", "email", "info@bluesky.co.za")))), asked.get("body"));

        given().auth().oauth2(ACME).header("If-Match", "\"v1\"").header("Idempotency-Key", "wi-" + id)
                .post("/plans/" + id + "/commit").then()
                .statusCode(422).contentType(containsString("application/problem+json"))
                .body("code", equalTo("would_break_contract")).body("expectations", contains("phone.pattern"))
                // How badly, from the report (no sample rows in a problem): the warning is not listed.
                .body("failing.id", contains("phone.pattern")).body("failing[0].failingCount", equalTo(1))
                .body("failing[0].samples", org.hamcrest.Matchers.nullValue())
                .body("contract.name", equalTo("c-orgs")).body("contract.version", equalTo("1.2.0"))
                .body("detail", containsString("phone.pattern")).body("detail", containsString("override=true"));
        assertTrue(IngestStub.changeSetsFor(ds).isEmpty(), "nothing reached ingest");
        given().auth().oauth2(ACME).get("/plans/" + id).then().body("status", equalTo("ready"));

        String steward = TestTokens.token("ann@acme", "acme", java.util.Set.of("steward"), java.util.Set.of());
        // A refusal stores nothing, its Idempotency-Key included: the repeat with override may carry it.
        given().auth().oauth2(steward).header("If-Match", "\"v1\"").header("Idempotency-Key", "wi-" + id)
                .queryParam("override", true).post("/plans/" + id + "/commit").then().statusCode(200)
                .body("status", equalTo("committed")).body("committedVersion", equalTo(2))
                .body("contractOverride.by", equalTo("ann@acme")).body("contractOverride.at", notNullValue())
                .body("contractOverride.contract", equalTo("c-orgs"))
                .body("contractOverride.contractVersion", equalTo("1.2.0"))
                .body("contractOverride.expectations", contains("phone.pattern"));
        assertEquals(1, IngestStub.changeSetsFor(ds).size());
        // Recorded on the plan: the override is there whenever the plan is read again.
        given().auth().oauth2(ACME).get("/plans/" + id).then().statusCode(200)
                .body("contractOverride.by", equalTo("ann@acme")).body("contractOverride.contractVersion", equalTo("1.2.0"))
                .body("contractOverride.expectations", contains("phone.pattern"));
        // And in the commit's lineage event.
        try (Connection c = TestDatabase.asOwner("hotpass_enrichment_test");
                PreparedStatement ps = c.prepareStatement("select payload->'run'->'facets'->'hotpass_plan'->'contractOverride'"
                        + " from outbox_event where destination = 'lineage' and payload->'run'->>'runId' = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "the commit's lineage event was written");
                String override = rs.getString(1);
                assertTrue(override != null && override.contains("\"ann@acme\"") && override.contains("\"phone.pattern\"")
                        && override.contains("\"c-orgs\""), override);
            }
        }
    }

    @Test
    void whatIsApprovedIsWhatIsChecked() {
        UUID ds = dataset(JHB_PHONES);
        String id = approvedPlan(ds);
        int phoneSeq = given().auth().oauth2(ACME).get("/plans/" + id + "/diff").then().statusCode(200)
                .extract().path("items.find { it.field == 'phone' }.seq");
        given().auth().oauth2(ACME).contentType(ContentType.JSON)
                .body(Map.of("decisions", List.of(Map.of("seq", phoneSeq, "decision", "rejected"))))
                .patch("/plans/" + id).then().statusCode(200);
        given().auth().oauth2(ACME).get("/plans/" + id + "/what-if").then().statusCode(200)
                .body("wouldBreakContract", equalTo(false)).body("failedErrors", hasSize(0));
        given().auth().oauth2(ACME).header("If-Match", "\"v1\"").post("/plans/" + id + "/commit").then()
                .statusCode(200).body("status", equalTo("committed")).body("contractOverride", nullValue())
                .body("", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("contractOverride")));
    }

    @Test
    void warningsOnlyAndNoContractCommitAsBefore() {
        UUID warned = dataset(new ContractsStub.Rule("phone.pattern", "phone", "warn", v -> v.startsWith("+2711")));
        String a = approvedPlan(warned);
        given().auth().oauth2(ACME).header("If-Match", "\"v1\"").post("/plans/" + a + "/commit").then()
                .statusCode(200).body("committedVersion", equalTo(2));

        UUID bare = dataset();
        String b = approvedPlan(bare);
        given().auth().oauth2(ACME).get("/plans/" + b + "/what-if").then().statusCode(200)
                .body("contractApplies", equalTo(false)).body("wouldBreakContract", equalTo(false))
                .body("report", nullValue());
        given().auth().oauth2(ACME).header("If-Match", "\"v1\"").post("/plans/" + b + "/commit").then()
                .statusCode(200).body("committedVersion", equalTo(2));
        assertFalse(ContractsStub.requestsFor(bare).isEmpty(), "the commit asked even so");
    }

    @Test
    void contractsUnreachableIs503AndNothingIsCommitted() {
        for (String outage : List.of("503", "drop")) {
            UUID ds = dataset(JHB_PHONES);
            String id = approvedPlan(ds);
            ContractsStub.OUTAGE.put(ds, outage);
            given().auth().oauth2(ACME).header("If-Match", "\"v1\"").queryParam("override", true)
                    .post("/plans/" + id + "/commit").then().statusCode(503)
                    .body("code", equalTo("contracts_unavailable")).header("Retry-After", notNullValue());
            given().auth().oauth2(ACME).get("/plans/" + id + "/what-if").then().statusCode(503)
                    .body("code", equalTo("contracts_unavailable"));
            assertTrue(IngestStub.changeSetsFor(ds).isEmpty(), outage + ": nothing reached ingest");
            given().auth().oauth2(ACME).get("/plans/" + id).then().body("status", equalTo("ready"));

            ContractsStub.OUTAGE.remove(ds);
            given().auth().oauth2(ACME).header("If-Match", "\"v1\"").queryParam("override", true)
                    .post("/plans/" + id + "/commit").then().statusCode(200);
        }
    }

    @Test
    void aChangeSetContractsRefusesIsItsOwn4xxNotAnOutage() {
        UUID ds = dataset(JHB_PHONES);
        String id = approvedPlan(ds);
        ContractsStub.OUTAGE.put(ds, "400");
        given().auth().oauth2(ACME).header("If-Match", "\"v1\"").queryParam("override", true)
                .post("/plans/" + id + "/commit").then().statusCode(400)
                .body("code", equalTo("validation_failed")).body("upstream", equalTo("contracts-service"))
                .body("detail", containsString("contracts-service: changes: size must be"));
        assertTrue(IngestStub.changeSetsFor(ds).isEmpty());
        ContractsStub.OUTAGE.remove(ds);
    }

    @Test
    void aPreviewNeedsAReadyPlanOfTheCallersTenant() {
        given().auth().oauth2(ACME).get("/plans/" + UUID.randomUUID() + "/what-if").then().statusCode(404)
                .body("code", equalTo("plan_not_found"));
        UUID ds = dataset(JHB_PHONES);
        String id = approvedPlan(ds);
        given().auth().oauth2(TestTokens.forTenant("globex")).get("/plans/" + id + "/what-if").then().statusCode(404);
        given().auth().oauth2(ACME).header("If-Match", "\"v1\"").queryParam("override", true)
                .post("/plans/" + id + "/commit").then().statusCode(200);
        given().auth().oauth2(ACME).get("/plans/" + id + "/what-if").then().statusCode(409)
                .body("code", equalTo("plan_already_committed"));
    }
}
