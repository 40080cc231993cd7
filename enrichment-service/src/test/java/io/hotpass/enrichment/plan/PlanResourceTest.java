package io.hotpass.enrichment.plan;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotpass.platform.testing.TestDatabase;
import io.hotpass.platform.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(IngestStub.class)
class PlanResourceTest {

    private static final String ACME = TestTokens.forTenant("acme");

    /** A registry "caa-…" over a reference dataset that knows Blue Sky Aviation. */
    private String registry() {
        UUID reg = IngestStub.dataset("caa-register", List.of(IngestStub.row("_rowId", "c1", "name", "Blue Sky Aviation (Pty) Ltd",
                "registration_number", "2001/123456/07", "phone", "+27215550123", "email", "info@bluesky.co.za")));
        String name = "caa-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(ACME).contentType(ContentType.JSON)
                .body(Map.of("name", name, "datasetId", reg, "matchOn", List.of("registration_number", "name")))
                .post("/registries").then().statusCode(201);
        return name;
    }

    private UUID dataset() {
        return IngestStub.dataset("orgs", List.of(
                IngestStub.row("_rowId", "r1", "name", "Blue Sky Aviation", "registration_number", "2001/123456/07", "phone", null,
                        "email", "old@bluesky.co.za", "city", "Cape Town"),
                IngestStub.row("_rowId", "r2", "name", "Nobody Ltd", "registration_number", "1999/000001/07", "phone",
                        "+27110000000")));
    }

    private String readyPlan(UUID ds, String registry) {
        String id = given().auth().oauth2(ACME).contentType(ContentType.JSON)
                .body(Map.of("datasetId", ds, "version", 1, "fields", List.of("phone", "email"), "sources",
                        List.of("registry:" + registry)))
                .post("/plans").then().statusCode(201).header("Location", org.hamcrest.Matchers.containsString("/plans/"))
                .body("status", equalTo("running")).extract().path("id");
        await().atMost(Duration.ofSeconds(20)).until(() -> "ready".equals(
                given().auth().oauth2(ACME).get("/plans/" + id).then().statusCode(200).extract().path("status")));
        return id;
    }

    @Test
    void aNameMatchWithAnotherRegistrationNumberIsAnotherOrganisation() {
        // The registry knows Blue Sky Aviation (Pty) Ltd, 2001/123456/07. "Blue Sky Aviation CC" has
        // the same normalised name but its own registration number: nothing is proposed for it; a row
        // without a registration number is still matched by name.
        UUID ds = IngestStub.dataset("orgs", List.of(
                IngestStub.row("_rowId", "other", "name", "Blue Sky Aviation CC", "registration_number", "2015/999999/23", "phone", null),
                IngestStub.row("_rowId", "unnumbered", "name", "Blue Sky Aviation", "registration_number", null, "phone", null)));
        String id = readyPlan(ds, registry());
        given().auth().oauth2(ACME).get("/plans/" + id + "/diff").then().statusCode(200)
                .body("items.rowId", org.hamcrest.Matchers.everyItem(equalTo("unnumbered")))
                .body("items.find { it.field == 'phone' }.newValue", equalTo("+27215550123"))
                .body("items.find { it.field == 'phone' }.evidence[0].extractor", equalTo("registry-name"));
    }

    @Test
    void aRegistryMatchingOnResolvedLinksRowsNoKeyMatches() throws Exception {
        // gen_orgs.py's 3,000 rows split in two (as RecordLinkageTest does): the register holds the
        // originals of every near-duplicate and half of the other organisations; the dataset holds the
        // near-duplicates, whose registration numbers, names and phones carry typos or are missing,
        // and the other half, which the register does not know.
        Map<String, String> originalOf = new java.util.HashMap<>();
        try (var truth = resource("orgs-3000-seed11.truth.csv")) {
            for (var r : org.apache.commons.csv.CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                    .parse(truth)) {
                originalOf.put(r.get(0), r.get(1));
            }
        }
        List<Map<String, Object>> register = new java.util.ArrayList<>();
        List<Map<String, Object>> rows = new java.util.ArrayList<>();
        try (var csv = resource("orgs-3000-seed11.csv")) {
            int line = 0;
            boolean toDataset = false;
            for (var r : org.apache.commons.csv.CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                    .parse(csv)) {
                String id = Integer.toString(line++);
                Map<String, Object> row = IngestStub.row("_rowId", id, "name", blankToNull(r.get("Organisation Name")),
                        "email", blankToNull(r.get("Contact Email")), "phone", blankToNull(r.get("Phone")), "website",
                        blankToNull(r.get("Website")), "registration_number", blankToNull(r.get("Registration No")));
                if (originalOf.containsKey(id)) {
                    rows.add(row);
                } else if (originalOf.containsValue(id)) {
                    register.add(row);
                } else {
                    (toDataset ? rows : register).add(row);
                    toDataset = !toDataset;
                }
            }
        }
        UUID reg = IngestStub.dataset("linked-register", register);
        String registry = "linked-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(ACME).contentType(ContentType.JSON)
                .body(Map.of("name", registry, "datasetId", reg, "matchOn", List.of("resolved")))
                .post("/registries").then().statusCode(201).body("matchOn", equalTo(List.of("resolved")));
        UUID ds = IngestStub.dataset("orgs", rows);
        String id = given().auth().oauth2(ACME).contentType(ContentType.JSON)
                .body(Map.of("datasetId", ds, "version", 1, "fields", List.of("registration_number", "phone", "email",
                        "website"), "sources", List.of("registry:" + registry)))
                .post("/plans").then().statusCode(201).extract().path("id");
        await().atMost(Duration.ofSeconds(60)).until(() -> "ready".equals(
                given().auth().oauth2(ACME).get("/plans/" + id).then().statusCode(200).extract().path("status")));
        List<Map<String, Object>> items = given().auth().oauth2(ACME).queryParam("limit", 1000)
                .get("/plans/" + id + "/diff").then().statusCode(200).extract().path("items");

        assertTrue(items.size() >= 20, "changes proposed through linkage: " + items.size());
        int fromItsOriginal = 0;
        for (Map<String, Object> item : items) {
            String rowId = (String) item.get("rowId");
            @SuppressWarnings("unchecked")
            Map<String, Object> evidence = ((List<Map<String, Object>>) item.get("evidence")).get(0);
            assertEquals("registry-resolved", evidence.get("extractor"), item.toString());
            assertTrue(evidence.get("snippet").toString().contains("linked by entity resolution: match probability"),
                    evidence.toString());
            // Only near-duplicates have a counterpart in the register.
            assertTrue(originalOf.containsKey(rowId), "a row the register does not know got " + item);
            if (evidence.get("source").toString().endsWith("#" + originalOf.get(rowId))) {
                fromItsOriginal++;
            }
        }
        assertTrue(fromItsOriginal >= items.size() * 0.95, fromItsOriginal + " of " + items.size()
                + " changes came from the row's true original");
    }

    private static java.io.Reader resource(String name) {
        return new java.io.InputStreamReader(PlanResourceTest.class.getResourceAsStream("/resolution/" + name),
                java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v;
    }

    @Test
    void aRegistryValueIngestFlaggedAsInvalidIsNeverProposed() {
        // The register kept an unparseable phone raw (ingest flags it); its email is good.
        Map<String, Object> reference = IngestStub.row("_rowId", "c1", "name", "Red Kite Aviation", "registration_number", "2003/654321/07",
                "phone", "0985078820", "email", "ops@redkite.co.za");
        reference.put("_flags", List.of("phone:invalid_phone"));
        UUID reg = IngestStub.dataset("kite-register", List.of(reference));
        String registry = "kite-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(ACME).contentType(ContentType.JSON)
                .body(Map.of("name", registry, "datasetId", reg, "matchOn", List.of("registration_number")))
                .post("/registries").then().statusCode(201);
        UUID ds = IngestStub.dataset("orgs", List.of(IngestStub.row("_rowId", "r1", "name", "Red Kite Aviation", "registration_number",
                "2003/654321/07", "phone", null, "email", null)));
        String id = readyPlan(ds, registry);
        given().auth().oauth2(ACME).get("/plans/" + id + "/diff").then().statusCode(200)
                .body("items", hasSize(1)).body("items[0].field", equalTo("email"))
                .body("items[0].newValue", equalTo("ops@redkite.co.za"));
    }

    @Test
    void plansAreListedNewestFirstPerDatasetPagedAndOnlyForTheirTenant() {
        UUID ds = dataset();
        String registry = registry();
        String first = readyPlan(ds, registry);
        String second = readyPlan(ds, registry);
        given().auth().oauth2(ACME).queryParam("datasetId", ds).get("/plans").then().statusCode(200)
                .body("items.id", org.hamcrest.Matchers.contains(second, first))
                .body("items[0].status", equalTo("ready")).body("items[0].kind", equalTo("enrichment"))
                .body("nextCursor", nullValue());
        String cursor = given().auth().oauth2(ACME).queryParam("datasetId", ds).queryParam("limit", 1).get("/plans")
                .then().statusCode(200).body("items.id", org.hamcrest.Matchers.contains(second))
                .extract().path("nextCursor");
        given().auth().oauth2(ACME).queryParam("datasetId", ds).queryParam("limit", 1).queryParam("cursor", cursor)
                .get("/plans").then().statusCode(200).body("items.id", org.hamcrest.Matchers.contains(first))
                .body("nextCursor", nullValue());
        given().auth().oauth2(ACME).queryParam("datasetId", ds).queryParam("status", "committed").get("/plans")
                .then().statusCode(200).body("items", hasSize(0));
        given().auth().oauth2(ACME).queryParam("status", "sideways").get("/plans").then().statusCode(400)
                .body("code", equalTo("validation_failed")).body("errors[0].field", equalTo("status"));
        given().auth().oauth2(ACME).queryParam("limit", 0).get("/plans").then().statusCode(400)
                .body("errors[0].field", equalTo("limit"));
        given().auth().oauth2(ACME).queryParam("cursor", "not-ours").get("/plans").then().statusCode(400)
                .body("errors[0].field", equalTo("cursor"));
        given().auth().oauth2(TestTokens.forTenant("globex")).queryParam("datasetId", ds).get("/plans").then()
                .statusCode(200).body("items", hasSize(0));
    }

    @Test
    void registryPlanIsReviewedAndCommittedOnce() throws Exception {
        UUID ds = dataset();
        String id = readyPlan(ds, registry());

        given().auth().oauth2(ACME).get("/plans/" + id).then().body("progress.rowsDone", equalTo(2))
                .body("changes", equalTo(2));
        given().auth().oauth2(ACME).get("/plans/" + id + "/diff").then().statusCode(200)
                .body("items", hasSize(2))
                .body("items[0].rowId", equalTo("r1")).body("items[0].field", equalTo("phone"))
                .body("items[0].oldValue", nullValue()).body("items[0].newValue", equalTo("+27215550123"))
                .body("items[0].confidence", equalTo(0.9f)).body("items[0].decision", equalTo("pending"))
                .body("items[0].evidence[0].sourceKind", equalTo("registry"))
                .body("items[0].evidence[0].source", startsWith("registry:caa-"))
                .body("items[0].evidence[0].extractor", equalTo("registry-registration_number"))
                .body("items[1].field", equalTo("email")).body("items[1].oldValue", equalTo("old@bluesky.co.za"))
                .body("items[1].newValue", equalTo("info@bluesky.co.za"));

        given().auth().oauth2(ACME).contentType(ContentType.JSON).header("If-Match", "\"r0\"")
                .body(Map.of("approveAbove", 0.85)).patch("/plans/" + id)
                .then().statusCode(200).header("ETag", "\"r1\"");
        given().auth().oauth2(ACME).contentType(ContentType.JSON).header("If-Match", "\"r0\"")
                .body(Map.of("approveAbove", 0.85)).patch("/plans/" + id)
                .then().statusCode(412).body("code", equalTo("precondition_failed"));

        given().auth().oauth2(ACME).post("/plans/" + id + "/commit").then().statusCode(428)
                .body("code", equalTo("precondition_required"));
        given().auth().oauth2(ACME).header("If-Match", "\"v7\"").post("/plans/" + id + "/commit").then()
                .statusCode(412).body("code", equalTo("precondition_failed"));
        assertTrue(IngestStub.changeSetsFor(ds).isEmpty());

        given().auth().oauth2(ACME).header("If-Match", "\"v1\"").header("Idempotency-Key", "commit-" + id)
                .post("/plans/" + id + "/commit").then().statusCode(200)
                .body("status", equalTo("committed")).body("committedVersion", equalTo(2));
        given().auth().oauth2(ACME).header("If-Match", "\"v1\"").header("Idempotency-Key", "commit-" + id)
                .post("/plans/" + id + "/commit").then().statusCode(200).header("Idempotent-Replayed", "true")
                .body("committedVersion", equalTo(2));
        given().auth().oauth2(ACME).header("If-Match", "\"v1\"").post("/plans/" + id + "/commit").then()
                .statusCode(409).body("code", equalTo("plan_already_committed"));

        List<Map<String, Object>> sets = IngestStub.changeSetsFor(ds);
        assertEquals(1, sets.size(), "committed at most once");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> changes = (List<Map<String, Object>>) sets.get(0).get("changes");
        assertEquals(1, changes.size());
        assertEquals("upsert", changes.get(0).get("op"));
        assertEquals("r1", changes.get(0).get("rowId"));
        @SuppressWarnings("unchecked")
        Map<String, Object> values = (Map<String, Object>) changes.get(0).get("values");
        assertEquals("+27215550123", values.get("phone"));
        assertEquals("info@bluesky.co.za", values.get("email"));
        assertEquals("Cape Town", values.get("city"), "unchanged fields travel with the row");
        assertEquals(Map.of("kind", "enrichment-plan", "ref", id), sets.get(0).get("source"));

        given().auth().oauth2(ACME).get("/datasets/" + ds + "/rows/r1/provenance").then().statusCode(200)
                .body("fields.phone.value", equalTo("+27215550123")).body("fields.phone.planId", equalTo(id))
                .body("fields.phone.version", equalTo(2)).body("fields.phone.source", equalTo("enrichment-plan"))
                .body("fields.phone.evidence[0].extractor", equalTo("registry-registration_number"))
                .body("fields.city", nullValue());
        given().auth().oauth2(TestTokens.forTenant("globex")).get("/datasets/" + ds + "/rows/r1/provenance").then()
                .statusCode(200).body("fields.size()", equalTo(0));

        try (Connection c = TestDatabase.asOwner("hotpass_enrichment_test");
                PreparedStatement ps = c.prepareStatement("select event_type, payload->'job'->>'name',"
                        + " payload->'outputs'->0->'facets'->'version'->>'datasetVersion' from outbox_event"
                        + " where destination = 'lineage' and payload->'run'->>'runId' = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "an OpenLineage event was written with the commit");
                assertEquals("RunEvent", rs.getString(1));
                assertEquals("enrichment.enrichment-plan", rs.getString(2));
                assertEquals("2", rs.getString(3));
            }
        }
    }

    @Test
    void aDatasetThatMovedOnIs412NothingWrittenThenRebase() {
        UUID ds = dataset();
        String id = readyPlan(ds, registry());
        given().auth().oauth2(ACME).contentType(ContentType.JSON).body(Map.of("approveAbove", 0))
                .patch("/plans/" + id).then().statusCode(200);
        IngestStub.bump(ds);

        given().auth().oauth2(ACME).header("If-Match", "\"v1\"").post("/plans/" + id + "/commit").then()
                .statusCode(412).body("code", equalTo("precondition_failed")).body("currentEtag", equalTo("\"v2\""));
        assertTrue(IngestStub.changeSetsFor(ds).isEmpty());
        given().auth().oauth2(ACME).get("/plans/" + id).then().body("status", equalTo("ready"));

        String rebased = given().auth().oauth2(ACME).contentType(ContentType.JSON).body("{}")
                .post("/plans/" + id + "/rebase").then().statusCode(201).body("version", equalTo(2))
                .body("rebasedFrom", equalTo(id)).extract().path("id");
        await().atMost(Duration.ofSeconds(20)).until(() -> "ready".equals(
                given().auth().oauth2(ACME).get("/plans/" + rebased).then().extract().path("status")));
    }

    @Test
    void ingestRefusingTheChangeSetIsItsOwn4xxNotAnOutageAndThePlanStaysReady() {
        UUID ds = dataset();
        String id = readyPlan(ds, registry());
        given().auth().oauth2(ACME).contentType(ContentType.JSON).body(Map.of("approveAbove", 0))
                .patch("/plans/" + id).then().statusCode(200);

        IngestStub.rejectBody = Map.of("code", "invalid_change_set", "title", "Invalid change set",
                "detail", "changes[0].values.email: not an email");
        IngestStub.rejectStatus = 422;
        given().auth().oauth2(ACME).header("If-Match", "\"v1\"").post("/plans/" + id + "/commit").then()
                .statusCode(422).body("code", equalTo("invalid_change_set"))
                .body("detail", equalTo("ingest-service: changes[0].values.email: not an email"))
                .body("upstream", equalTo("ingest-service"));
        given().auth().oauth2(ACME).get("/plans/" + id).then().body("status", equalTo("ready"));

        IngestStub.rejectBody = Map.of("code", "internal");
        IngestStub.rejectStatus = 503;
        given().auth().oauth2(ACME).header("If-Match", "\"v1\"").post("/plans/" + id + "/commit").then()
                .statusCode(502).body("code", equalTo("upstream_unavailable"));
        assertTrue(IngestStub.changeSetsFor(ds).isEmpty());

        // Once ingest accepts, the same plan commits.
        given().auth().oauth2(ACME).header("If-Match", "\"v1\"").post("/plans/" + id + "/commit").then()
                .statusCode(200);
    }

    @Test
    void nothingApprovedIsNothingToCommit() {
        String id = readyPlan(dataset(), registry());
        given().auth().oauth2(ACME).header("If-Match", "\"v1\"").post("/plans/" + id + "/commit").then()
                .statusCode(422).body("code", equalTo("no_approved_changes"));
    }

    @Test
    void anotherTenantSeesNoPlan() {
        String id = readyPlan(dataset(), registry());
        String globex = TestTokens.forTenant("globex");
        given().auth().oauth2(globex).get("/plans/" + id).then().statusCode(404).body("code", equalTo("plan_not_found"));
        given().auth().oauth2(globex).get("/plans/" + id + "/diff").then().statusCode(404);
        given().auth().oauth2(globex).header("If-Match", "\"v1\"").post("/plans/" + id + "/commit").then()
                .statusCode(404);
    }

    @Test
    void badRequestsNameTheField() {
        given().get("/plans/" + UUID.randomUUID()).then().statusCode(401);
        ValidatableResponse r = given().auth().oauth2(ACME).contentType(ContentType.JSON)
                .body(Map.of("datasetId", dataset(), "version", 1, "fields", List.of("shoe_size"), "sources",
                        List.of("website")))
                .post("/plans").then().statusCode(400).body("code", equalTo("validation_failed"));
        r.body("errors[0].field", equalTo("fields[0]"));
        given().auth().oauth2(ACME).contentType(ContentType.JSON)
                .body(Map.of("datasetId", dataset(), "version", 1, "fields", List.of("phone"), "sources",
                        List.of("registry:nope")))
                .post("/plans").then().statusCode(422).body("code", equalTo("unknown_registry"))
                .body("errors[0].field", equalTo("sources[0]"));
        given().auth().oauth2(ACME).contentType(ContentType.JSON)
                .body(Map.of("datasetId", UUID.randomUUID(), "version", 1, "fields", List.of("phone"), "sources",
                        List.of("website")))
                .post("/plans").then().statusCode(404).body("code", equalTo("dataset_not_found"));
        given().auth().oauth2(ACME).contentType(ContentType.JSON)
                .body(Map.of("datasetId", dataset(), "version", 9, "fields", List.of("phone"), "sources",
                        List.of("website")))
                .post("/plans").then().statusCode(404).body("code", equalTo("dataset_version_not_found"));
    }

    @Test
    void mergePlanProposesDeletingDuplicatesAndFillingTheSurvivor() {
        List<Map<String, Object>> rows = new java.util.ArrayList<>();
        rows.add(IngestStub.row("_rowId", "keep", "name", "Blue Sky Aviation (Pty) Ltd", "registration_number", "2001/123456/07",
                "phone", "+27215550123", "email", "info@bluesky.co.za", "website", "bluesky.co.za", "city", null));
        rows.add(IngestStub.row("_rowId", "dup", "name", "BLUE SKY AVAITION", "registration_number", "2001/123456/07", "phone",
                "+27215550123", "email", null, "website", null, "city", "Cape Town"));
        for (int i = 0; i < 150; i++) {
            rows.add(IngestStub.row("_rowId", "o" + i, "name", "Org " + i + " Flight School", "registration_number",
                    String.format("1999/%06d/23", i), "phone", String.format("+2711%07d", i), "email",
                    "info@org" + i + ".co.za", "website", "org" + i + ".co.za"));
        }
        UUID ds = IngestStub.dataset("orgs", rows);
        String id = given().auth().oauth2(ACME).contentType(ContentType.JSON)
                .body(Map.of("datasetId", ds, "version", 1)).post("/merge-plans").then().statusCode(201)
                .body("kind", equalTo("merge")).extract().path("id");
        await().atMost(Duration.ofSeconds(20)).until(() -> "ready".equals(
                given().auth().oauth2(ACME).get("/plans/" + id).then().extract().path("status")));

        given().auth().oauth2(ACME).get("/plans/" + id + "/diff").then().statusCode(200)
                .body("items", hasSize(2))
                .body("items[0].rowId", equalTo("keep")).body("items[0].op", equalTo("upsert"))
                .body("items[0].field", equalTo("city")).body("items[0].newValue", equalTo("Cape Town"))
                .body("items[1].rowId", equalTo("dup")).body("items[1].op", equalTo("delete"))
                .body("items[1].evidence[0].survivor", equalTo("keep"))
                .body("items[1].evidence[0].links[0].evidence.'registration_number:equal'", org.hamcrest.Matchers
                        .greaterThan(0f));

        given().auth().oauth2(ACME).contentType(ContentType.JSON).body(Map.of("approveAbove", 0.5))
                .patch("/plans/" + id).then().statusCode(200);
        given().auth().oauth2(ACME).header("If-Match", "\"v1\"").post("/plans/" + id + "/commit").then()
                .statusCode(200).body("committedVersion", equalTo(2));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> changes = (List<Map<String, Object>>) IngestStub.changeSetsFor(ds).get(0)
                .get("changes");
        assertEquals(2, changes.size());
        assertTrue(changes.stream().anyMatch(c -> c.get("op").equals("delete") && c.get("rowId").equals("dup")));
        assertTrue(changes.stream().anyMatch(c -> c.get("op").equals("upsert") && c.get("rowId").equals("keep")
                && "Cape Town".equals(((Map<?, ?>) c.get("values")).get("city"))));
        assertEquals("merge-plan", ((Map<?, ?>) IngestStub.changeSetsFor(ds).get(0).get("source")).get("kind"));
    }

    @Test
    void websiteResearchProposesValuesWithPageEvidence() throws Exception {
        try (io.hotpass.enrichment.crawl.FixtureSite site = new io.hotpass.enrichment.crawl.FixtureSite("127.0.0.1")) {
            site.page("/robots.txt", io.hotpass.enrichment.crawl.FixtureSite.Page.text(200, "User-agent: *\nAllow: /\n"))
                    .page("/", io.hotpass.enrichment.crawl.FixtureSite.Page.html(
                            "<a href=\"/contact\">contact</a>"))
                    .page("/contact", io.hotpass.enrichment.crawl.FixtureSite.Page.html(
                            "<p>Call <a href=\"tel:+27215550199\">021 555 0199</a></p>"));
            UUID ds = IngestStub.dataset("orgs", List.of(IngestStub.row("_rowId", "w1", "name", "Kestrel Air", "phone", null,
                    "website", site.base())));
            String id = given().auth().oauth2(ACME).contentType(ContentType.JSON)
                    .body(Map.of("datasetId", ds, "version", 1, "fields", List.of("phone"), "sources",
                            List.of("website")))
                    .post("/plans").then().statusCode(201).extract().path("id");
            await().atMost(Duration.ofSeconds(20)).until(() -> "ready".equals(
                    given().auth().oauth2(ACME).get("/plans/" + id).then().extract().path("status")));
            given().auth().oauth2(ACME).get("/plans/" + id + "/diff").then().statusCode(200)
                    .body("items", hasSize(1)).body("items[0].newValue", equalTo("+27215550199"))
                    .body("items[0].confidence", equalTo(0.63f))
                    .body("items[0].evidence[0].sourceKind", equalTo("website"))
                    .body("items[0].evidence[0].source", equalTo(site.base() + "/contact"))
                    .body("items[0].evidence[0].extractor", equalTo("tel-link"));
        }
    }
}
