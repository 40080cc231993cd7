package io.hotpass.ingest.publish;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotpass.platform.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = GatesStub.class, restrictToAnnotatedClass = true)
class PublishTest {

    static final String CSV = "Organisation Name,Contact Email,Registration No\nAtlas,a@atlas.co.za,R1\n";

    @BeforeEach
    void reset() {
        GatesStub.reset();
    }

    private static long count(String sql, String tenant) {
        try (java.sql.Connection c = io.hotpass.platform.testing.TestDatabase.asOwner("hotpass_ingest_test");
                java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, tenant);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RequestSpecification as(String tenant) {
        return RestAssured.given().auth().oauth2(TestTokens.forTenant(tenant));
    }

    private static String datasetWithVersions(String tenant, String name, int versions) {
        String id = as(tenant).contentType(ContentType.JSON).body("{\"name\":\"" + name + "\",\"profile\":\"organisation\"}")
                .post("/datasets").then().statusCode(201).extract().path("id");
        for (int i = 0; i < versions; i++) {
            as(tenant).contentType("text/csv").body(CSV + "Extra " + i + ",x" + i + "@atlas.co.za,R" + (i + 2) + "\n")
                    .post("/datasets/" + id + "/uploads").then().statusCode(201);
        }
        return id;
    }

    @Test
    void bothGatesPassingPublishesTheVersionAsTheCaller() {
        String t = "pub-" + UUID.randomUUID().toString().substring(0, 6);
        String ds = datasetWithVersions(t, "orgs-register", 1);
        String token = TestTokens.forTenant(t);
        RestAssured.given().auth().oauth2(token).post("/datasets/" + ds + "/versions/1/publish").then().statusCode(200)
                .body("version", equalTo(1)).body("previous", nullValue()).body("gates[0].gate", equalTo("contracts"))
                .body("gates[1].reasons[0].code", equalTo("lineage_recorded"));
        as(t).get("/datasets/" + ds).then().statusCode(200).body("publishedVersion", equalTo(1));

        assertEquals(1, count("select count(*) from outbox_event where destination = 'lineage' and tenant_id = ?"
                + " and payload->'job'->>'name' = 'ingest.publish.orgs-register'"
                + " and payload->'inputs'->0->'facets'->'version'->>'datasetVersion' = '1'"
                + " and payload->'run'->'facets'->'hotpass_publish'->>'publishedVersion' = '1'", t),
                "the publish is a run in the dataset's lineage");
        assertEquals(2, GatesStub.SEEN.size(), GatesStub.SEEN.toString());
        assertEquals("/api/v1/contracts/gates/" + ds + "/1", GatesStub.SEEN.get(0).path());
        // The lineage namespace is the tenant, the dataset its name.
        assertEquals("/marquez/api/v1/gates/" + t + "/orgs-register/1", GatesStub.SEEN.get(1).path());
        assertTrue(GatesStub.SEEN.stream().allMatch(s -> ("Bearer " + token).equals(s.authorization())),
                "the gates are asked with the caller's own token");
    }

    @Test
    void aFailingGateBlocksWithEveryReasonAndChangesNothing() {
        String t = "blk-" + UUID.randomUUID().toString().substring(0, 6);
        String ds = datasetWithVersions(t, "orgs", 2);
        as(t).post("/datasets/" + ds + "/versions/1/publish").then().statusCode(200);

        GatesStub.contractsBody = "{\"pass\":false,\"reasons\":[{\"code\":\"not_validated\",\"detail\":\"no validation run\"}]}";
        GatesStub.lineageBody = "{\"pass\":false,\"reasons\":[{\"code\":\"run_not_completed\"}]}";
        as(t).post("/datasets/" + ds + "/versions/2/publish").then().statusCode(409)
                .contentType("application/problem+json").body("code", equalTo("publish_blocked"))
                .body("reasons[0].gate", equalTo("contracts")).body("reasons[0].code", equalTo("not_validated"))
                .body("reasons[1].gate", equalTo("lineage")).body("reasons[1].code", equalTo("run_not_completed"));
        as(t).get("/datasets/" + ds).then().body("publishedVersion", equalTo(1));
        assertEquals(1, count("select count(*) from outbox_event where tenant_id = ? and payload->'job'->>'name' like"
                + " 'ingest.publish.%'", t), "a blocked publish sends no lineage");

        GatesStub.reset();
        as(t).post("/datasets/" + ds + "/versions/2/publish").then().statusCode(200).body("previous", equalTo(1));
        // Publishing the older version again rolls the published one back.
        as(t).post("/datasets/" + ds + "/versions/1/publish").then().statusCode(200).body("previous", equalTo(2));
        as(t).get("/datasets/" + ds).then().body("publishedVersion", equalTo(1));
    }

    @Test
    void aGateThatCannotBeAskedIs503AndNothingIsPublished() {
        String t = "down-" + UUID.randomUUID().toString().substring(0, 6);
        String ds = datasetWithVersions(t, "orgs", 1);
        GatesStub.lineageStatus = 502;
        GatesStub.lineageBody = "{\"code\":\"upstream_unavailable\"}";
        as(t).post("/datasets/" + ds + "/versions/1/publish").then().statusCode(503)
                .header("Retry-After", "5").body("code", equalTo("publish_gate_unavailable")).body("gate", equalTo("lineage"));
        as(t).get("/datasets/" + ds).then().body("publishedVersion", nullValue());

        GatesStub.reset();
        GatesStub.contractsStatus = 403;
        as(t).post("/datasets/" + ds + "/versions/1/publish").then().statusCode(403).body("code", equalTo("forbidden"));
        as(t).get("/datasets/" + ds).then().body("publishedVersion", nullValue());
    }

    @Test
    void unknownVersionsAndOtherTenantsAre404WithoutAskingTheGates() {
        String t = "nf-" + UUID.randomUUID().toString().substring(0, 6);
        String ds = datasetWithVersions(t, "orgs", 1);
        as(t).post("/datasets/" + ds + "/versions/9/publish").then().statusCode(404).body("code", equalTo("version_not_found"));
        as("other-" + t).post("/datasets/" + ds + "/versions/1/publish").then().statusCode(404)
                .body("code", equalTo("dataset_not_found"));
        assertTrue(GatesStub.SEEN.isEmpty(), GatesStub.SEEN.toString());
    }
}
