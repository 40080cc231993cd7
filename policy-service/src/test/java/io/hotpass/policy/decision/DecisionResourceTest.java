package io.hotpass.policy.decision;

import static io.hotpass.policy.PolicyTestSupport.DATABASE;
import static io.hotpass.policy.PolicyTestSupport.gateway;
import static io.hotpass.policy.PolicyTestSupport.member;
import static io.hotpass.policy.PolicyTestSupport.platformAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hotpass.platform.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

@QuarkusTest
class DecisionResourceTest {

    private static String request(String subject, String tenant, String roles, String action, String resource) {
        return "{\"subject\":\"" + subject + "\",\"tenant\":\"" + tenant + "\",\"roles\":" + roles + ",\"action\":\""
                + action + "\",\"resource\":\"" + resource + "\"}";
    }

    private static ValidatableResponse decide(String body) {
        return given().auth().oauth2(gateway()).contentType(ContentType.JSON).body(body).post("/decisions")
                .then().statusCode(200);
    }

    private static long version() {
        return given().auth().oauth2(member("acme", "viewer")).get("/policy/version")
                .then().statusCode(200).extract().jsonPath().getLong("version");
    }

    /** Publishes a change the way any writer must: rules and a new version row in one transaction. */
    private static long publish(String sql, String... args) throws SQLException {
        try (Connection c = TestDatabase.asOwner(DATABASE)) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setString(i + 1, args[i]);
                }
                ps.executeUpdate();
            }
            long next;
            try (PreparedStatement ps = c.prepareStatement("insert into policy_version (version, created_by)"
                    + " select max(version) + 1, 'test' from policy_version returning version");
                    var rs = ps.executeQuery()) {
                rs.next();
                next = rs.getLong(1);
            }
            c.commit();
            return next;
        }
    }

    @Test
    void stewardMayCreateDatasetsInItsTenant() {
        decide(request("user-1", "acme", "[\"steward\"]", "ingest:dataset:create", "tenant/acme/datasets"))
                .body("allow", equalTo(true)).body("reason", equalTo("allowed_by_role"))
                .body("matchedRules", hasSize(1)).body("policyVersion", equalTo((int) version()));
    }

    @Test
    void viewerReadsButCannotWrite() {
        decide(request("user-2", "acme", "[\"viewer\"]", "ingest:dataset:read", "tenant/acme/datasets/7"))
                .body("allow", equalTo(true));
        decide(request("user-2", "acme", "[\"viewer\"]", "ingest:dataset:create", "tenant/acme/datasets"))
                .body("allow", equalTo(false)).body("reason", equalTo("no_matching_permission"))
                .body("matchedRules", empty());
        decide(request("user-2", "acme", "[\"viewer\"]", "ingest:dataset:delete", "tenant/acme/datasets/7"))
                .body("allow", equalTo(false));
    }

    @Test
    void unknownActionsAndRolesAreDeniedByDefault() {
        decide(request("user-3", "acme", "[\"steward\"]", "billing:invoice:pay", "tenant/acme/invoices"))
                .body("allow", equalTo(false)).body("reason", equalTo("no_matching_permission"));
        decide(request("user-3", "acme", "[\"wizard\"]", "ingest:dataset:read", "tenant/acme/datasets"))
                .body("allow", equalTo(false)).body("reason", equalTo("no_matching_permission"));
        decide(request("user-3", "acme", "[]", "ingest:dataset:read", "tenant/acme/datasets"))
                .body("allow", equalTo(false)).body("reason", equalTo("no_matching_permission"));
    }

    @Test
    void noSubjectActsInAnotherTenantWithoutAPlatformRole() {
        decide(request("user-4", "acme", "[\"tenant-admin\"]", "ingest:dataset:read", "tenant/globex/datasets"))
                .body("allow", equalTo(false)).body("reason", equalTo("tenant_mismatch"));
        decide(request("ops", "platform", "[\"platform-admin\"]", "ingest:dataset:read", "tenant/globex/datasets"))
                .body("allow", equalTo(true)).body("reason", equalTo("allowed_by_role"));
        decide(request("relay", "platform", "[\"hotpass-service\"]", "lineage:event:create", "tenant/globex/lineage"))
                .body("allow", equalTo(true)).body("reason", equalTo("allowed_by_role"));
    }

    @Test
    void explicitDenyOverridesAllowAfterReload() throws SQLException {
        String tenant = "deny-" + UUID.randomUUID().toString().substring(0, 8);
        String body = request("user-5", tenant, "[\"steward\",\"tenant-admin\"]", "ingest:dataset:delete",
                "tenant/" + tenant + "/datasets/9");
        decide(body).body("allow", equalTo(true));
        long before = version();
        long published = publish("insert into policy_rule (ptype, v0, v1, v2, v3, v4) values ('p', 'steward', ?,"
                + " 'ingest:dataset:delete', 'tenant/*', 'deny')", tenant);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> version() == published);
        decide(body).body("allow", equalTo(false)).body("reason", equalTo("denied_by_rule"))
                .body("matchedRules", hasSize(1)).body("policyVersion", equalTo((int) published));
        // The deny is scoped to that tenant and that action.
        decide(request("user-5", tenant, "[\"steward\"]", "ingest:dataset:create", "tenant/" + tenant + "/datasets"))
                .body("allow", equalTo(true));
        decide(request("user-5", "acme", "[\"steward\"]", "ingest:dataset:delete", "tenant/acme/datasets/9"))
                .body("allow", equalTo(true));

        long removed = publish("delete from policy_rule where v1 = ?", tenant);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> version() == removed);
        decide(body).body("allow", equalTo(true));
        assertEquals(before + 2, removed);
    }

    @Test
    void subjectBindingsGrantRolesWithinTheirTenant() throws SQLException {
        String tenant = "bind-" + UUID.randomUUID().toString().substring(0, 8);
        String subject = "user-" + UUID.randomUUID();
        long published = publish("insert into policy_rule (ptype, v0, v1, v2) values ('g', ?, 'auditor', ?)",
                subject, tenant);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> version() >= published);
        decide(request(subject, tenant, "[]", "policy:audit:query", "tenant/" + tenant + "/audit"))
                .body("allow", equalTo(true)).body("reason", equalTo("allowed_by_role"));
        decide(request(subject, "acme", "[]", "policy:audit:query", "tenant/acme/audit"))
                .body("allow", equalTo(false)).body("reason", equalTo("no_matching_permission"));
        long removed = publish("delete from policy_rule where v2 = ?", tenant);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> version() >= removed);
    }

    @Test
    void anInvalidNewVersionIsRejectedAndTheOldOneStays() throws SQLException {
        long before = version();
        long bad = publish("insert into policy_rule (ptype, v0, v1, v2, v3, v4) values ('p', 'viewer', '*',"
                + " 'x:*', 'tenant/*', 'maybe')");
        try {
            // The poll sees the new number, rejects the rules, and keeps serving the old version.
            Awaitility.await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5))
                    .until(() -> version() == before);
            decide(request("user-6", "acme", "[\"steward\"]", "ingest:dataset:create", "tenant/acme/datasets"))
                    .body("allow", equalTo(true)).body("policyVersion", equalTo((int) before));
        } finally {
            long fixed = publish("delete from policy_rule where v4 = 'maybe'");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> version() == fixed);
        }
        assertEquals(before + 1, bad);
    }

    @Test
    void batchAnswersInOrderUnderOneVersion() {
        String viewer = request("user-7", "acme", "[\"viewer\"]", "ingest:dataset:read", "tenant/acme/datasets/1");
        String write = request("user-7", "acme", "[\"viewer\"]", "ingest:dataset:update", "tenant/acme/datasets/1");
        String other = request("user-7", "acme", "[\"viewer\"]", "ingest:dataset:read", "tenant/globex/datasets/1");
        given().auth().oauth2(platformAdmin()).contentType(ContentType.JSON)
                .body("{\"requests\":[" + viewer + "," + write + "," + other + "]}").post("/decisions/batch")
                .then().statusCode(200).body("decisions.allow", org.hamcrest.Matchers.contains(true, false, false))
                .body("decisions.reason", org.hamcrest.Matchers.contains("allowed_by_role", "no_matching_permission",
                        "tenant_mismatch"));
        StringBuilder tooMany = new StringBuilder("{\"requests\":[");
        for (int i = 0; i <= BatchDecisionRequest.MAX; i++) {
            tooMany.append(i == 0 ? "" : ",").append(viewer);
        }
        given().auth().oauth2(gateway()).contentType(ContentType.JSON).body(tooMany.append("]}").toString())
                .post("/decisions/batch").then().statusCode(400).body("code", equalTo("validation_failed"))
                .body("errors[0].field", equalTo("requests"));
    }

    @Test
    void onlyTheGatewayAndPlatformAdministratorsAsk() {
        String body = request("user-8", "acme", "[\"steward\"]", "ingest:dataset:create", "tenant/acme/datasets");
        given().auth().oauth2(member("acme", "tenant-admin")).contentType(ContentType.JSON).body(body)
                .post("/decisions").then().statusCode(403).body("code", equalTo("forbidden"));
        given().auth().oauth2(member("acme", "tenant-admin")).contentType(ContentType.JSON)
                .body("{\"requests\":[" + body + "]}").post("/decisions/batch").then().statusCode(403);
        given().contentType(ContentType.JSON).body(body).post("/decisions").then().statusCode(401);
        given().get("/policy/version").then().statusCode(401);
    }

    @Test
    void malformedRequestsNameTheField() {
        given().auth().oauth2(gateway()).contentType(ContentType.JSON)
                .body(request("user-9", "Not A Tenant", "[]", "ingest:dataset:read", "tenant/acme/x"))
                .post("/decisions").then().statusCode(400).body("errors[0].field", equalTo("tenant"));
        given().auth().oauth2(gateway()).contentType(ContentType.JSON)
                .body(request("user-9", "acme", "[\"steward\"]", "ingest:dataset:read", "tenant/acme/../globex/x"))
                .post("/decisions").then().statusCode(400).body("errors[0].field", equalTo("resource"));
        given().auth().oauth2(gateway()).contentType(ContentType.JSON)
                .body("{\"subject\":\"u\",\"tenant\":\"acme\"}").post("/decisions")
                .then().statusCode(400).body("errors", not(empty()));
    }

    @Test
    void openApiDescribesTheOperations() {
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body("paths.'/decisions'.post.responses.'403'.description", org.hamcrest.Matchers.containsString("forbidden"))
                .body("paths.'/decisions/batch'.post", org.hamcrest.Matchers.notNullValue())
                .body("paths.'/policy/version'.get", org.hamcrest.Matchers.notNullValue())
                .body("paths.'/api-keys/verify'.post.responses.'401'.description",
                        org.hamcrest.Matchers.containsString("invalid_api_key"))
                .body("paths.'/tenants/{tenant}/api-keys'.post.responses.'422'.description",
                        org.hamcrest.Matchers.containsString("unknown_role"));
    }
}
