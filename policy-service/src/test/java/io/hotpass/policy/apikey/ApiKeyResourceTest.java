package io.hotpass.policy.apikey;

import static io.hotpass.policy.PolicyTestSupport.BOOTSTRAP_ADMIN_KEY;
import static io.hotpass.policy.PolicyTestSupport.BOOTSTRAP_SERVICE_KEY;
import static io.hotpass.policy.PolicyTestSupport.DATABASE;
import static io.hotpass.policy.PolicyTestSupport.gateway;
import static io.hotpass.policy.PolicyTestSupport.member;
import static io.hotpass.policy.PolicyTestSupport.newTenant;
import static io.hotpass.policy.PolicyTestSupport.platformAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotpass.platform.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ApiKeyResourceTest {

    @Inject
    ApiKeyBootstrap bootstrap;

    private static JsonPath create(String token, String tenant, String body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .post("/tenants/" + tenant + "/api-keys").then().statusCode(201).extract().jsonPath();
    }

    private static io.restassured.response.ValidatableResponse verify(String key) {
        return given().auth().oauth2(gateway()).contentType(ContentType.JSON).body("{\"key\":\"" + key + "\"}")
                .post("/api-keys/verify").then();
    }

    @Test
    void tenantAdminCreatesKeyThatVerifiesAndIsShownOnce() throws SQLException {
        String tenant = newTenant("keys");
        JsonPath created = create(member(tenant, "tenant-admin"), tenant,
                "{\"name\":\"nightly-import\",\"roles\":[\"steward\"],\"scopes\":[\"ingest:write\"]}");
        String id = created.getString("id");
        String key = created.getString("key");
        assertTrue(key.matches("hp_" + id + "_[A-Za-z0-9]{32}"), "key format");
        assertEquals(tenant, created.getString("tenant"));
        assertNotNull(created.getString("createdAt"));
        assertNull(created.getString("expiresAt"));

        verify(key).statusCode(200).body("keyId", equalTo(id)).body("tenant", equalTo(tenant))
                .body("subject", equalTo("apikey:" + id)).body("roles", contains("steward"))
                .body("scopes", contains("ingest:write")).body("expiresAt", nullValue());

        given().auth().oauth2(member(tenant, "tenant-admin")).get("/tenants/" + tenant + "/api-keys")
                .then().statusCode(200).body("items.id", hasItem(id)).body("items[0].key", nullValue())
                .body("items[0].lastUsedAt", notNullValue());
        given().auth().oauth2(member(tenant, "tenant-admin")).get("/tenants/" + tenant + "/api-keys/" + id)
                .then().statusCode(200).body("name", equalTo("nightly-import")).body("createdBy", equalTo("user-" + tenant));

        // Only the hash is stored: the secret appears in no column of the key's row.
        String secret = key.substring(key.lastIndexOf('_') + 1);
        try (Connection c = TestDatabase.asOwner(DATABASE);
                PreparedStatement ps = c.prepareStatement("select a::text from api_key a where key_id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertFalse(rs.getString(1).contains(secret));
                assertTrue(rs.getString(1).contains(PlaintextApiKey.sha256Hex(secret)));
            }
        }
    }

    @Test
    void idempotentRetryReplaysWithoutTheSecret() throws SQLException {
        String tenant = newTenant("idem");
        String body = "{\"name\":\"ci\",\"roles\":[\"viewer\"]}";
        String idem = UUID.randomUUID().toString();
        JsonPath first = given().auth().oauth2(member(tenant, "tenant-admin")).contentType(ContentType.JSON)
                .header("Idempotency-Key", idem).body(body).post("/tenants/" + tenant + "/api-keys")
                .then().statusCode(201).extract().jsonPath();
        assertNotNull(first.getString("key"));
        given().auth().oauth2(member(tenant, "tenant-admin")).contentType(ContentType.JSON)
                .header("Idempotency-Key", idem).body(body).post("/tenants/" + tenant + "/api-keys")
                .then().statusCode(201).header("Idempotent-Replayed", "true")
                .body("id", equalTo(first.getString("id"))).body("key", nullValue());
        given().auth().oauth2(member(tenant, "tenant-admin")).contentType(ContentType.JSON)
                .header("Idempotency-Key", idem).body("{\"name\":\"other\",\"roles\":[\"viewer\"]}")
                .post("/tenants/" + tenant + "/api-keys")
                .then().statusCode(422).body("code", equalTo("idempotency_key_reused"));
        given().auth().oauth2(member(tenant, "tenant-admin")).get("/tenants/" + tenant + "/api-keys")
                .then().body("items.size()", equalTo(1));
        String secret = first.getString("key").substring(first.getString("key").lastIndexOf('_') + 1);
        try (Connection c = TestDatabase.asOwner(DATABASE); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from idempotency_record where body like '%" + secret + "%'")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "the secret must not be kept for replays");
        }
    }

    @Test
    void authorizationOfKeyAdministration() {
        String tenant = newTenant("authz");
        String other = newTenant("other");
        String body = "{\"name\":\"k\",\"roles\":[\"viewer\"]}";
        // Another tenant's administrator: 404, as if the tenant did not exist.
        given().auth().oauth2(member(other, "tenant-admin")).contentType(ContentType.JSON).body(body)
                .post("/tenants/" + tenant + "/api-keys").then().statusCode(404).body("code", equalTo("tenant_not_found"));
        given().auth().oauth2(member(other, "tenant-admin")).get("/tenants/" + tenant + "/api-keys")
                .then().statusCode(404).body("code", equalTo("tenant_not_found"));
        // Same tenant without tenant-admin: 403.
        given().auth().oauth2(member(tenant, "viewer")).contentType(ContentType.JSON).body(body)
                .post("/tenants/" + tenant + "/api-keys").then().statusCode(403).body("code", equalTo("forbidden"));
        // Unknown tenant, even for a platform administrator: 404.
        given().auth().oauth2(platformAdmin()).contentType(ContentType.JSON).body(body)
                .post("/tenants/no-such-tenant/api-keys").then().statusCode(404).body("code", equalTo("tenant_not_found"));
        // Platform administrators manage any tenant's keys.
        create(platformAdmin(), tenant, body);
        // Unknown role: 422 naming the field.
        given().auth().oauth2(member(tenant, "tenant-admin")).contentType(ContentType.JSON)
                .body("{\"name\":\"k\",\"roles\":[\"viewer\",\"god\"]}").post("/tenants/" + tenant + "/api-keys")
                .then().statusCode(422).contentType("application/problem+json").body("code", equalTo("unknown_role"))
                .body("errors[0].field", equalTo("roles[1]"));
        // A tenant administrator cannot mint a key that acts across tenants.
        given().auth().oauth2(member(tenant, "tenant-admin")).contentType(ContentType.JSON)
                .body("{\"name\":\"k\",\"roles\":[\"platform-admin\"]}").post("/tenants/" + tenant + "/api-keys")
                .then().statusCode(403).body("code", equalTo("forbidden"));
        given().auth().oauth2(member(tenant, "tenant-admin")).contentType(ContentType.JSON)
                .body("{\"name\":\"k\",\"roles\":[\"viewer\"],\"expiresAt\":\"2001-01-01T00:00:00Z\"}")
                .post("/tenants/" + tenant + "/api-keys")
                .then().statusCode(400).body("code", equalTo("validation_failed")).body("errors[0].field", equalTo("expiresAt"));
        given().auth().oauth2(member(tenant, "tenant-admin")).contentType(ContentType.JSON).body("{\"roles\":[]}")
                .post("/tenants/" + tenant + "/api-keys")
                .then().statusCode(400).body("errors[0].field", equalTo("name"));
    }

    @Test
    void revokedExpiredWrongAndUnknownKeysAllFailAlike() throws SQLException {
        String tenant = newTenant("fail");
        String admin = member(tenant, "tenant-admin");
        String revoked = create(admin, tenant, "{\"name\":\"r\",\"roles\":[\"viewer\"]}").getString("key");
        String revokedId = revoked.substring(3, 15);
        given().auth().oauth2(admin).delete("/tenants/" + tenant + "/api-keys/" + revokedId).then().statusCode(204);
        given().auth().oauth2(admin).delete("/tenants/" + tenant + "/api-keys/" + revokedId).then().statusCode(204);
        given().auth().oauth2(admin).get("/tenants/" + tenant + "/api-keys/" + revokedId)
                .then().body("revokedAt", notNullValue());
        given().auth().oauth2(admin).delete("/tenants/" + tenant + "/api-keys/zzzzzzzzzzzz")
                .then().statusCode(404).body("code", equalTo("api_key_not_found"));

        JsonPath expiring = create(admin, tenant, "{\"name\":\"e\",\"roles\":[\"viewer\"],\"expiresAt\":\""
                + Instant.now().plusSeconds(3600) + "\"}");
        assertNotNull(expiring.getString("expiresAt"));
        verify(expiring.getString("key")).statusCode(200).body("expiresAt", notNullValue());
        try (Connection c = TestDatabase.asOwner(DATABASE);
                PreparedStatement ps = c.prepareStatement("update api_key set expires_at = now() - interval '1 second'"
                        + " where key_id = ?")) {
            ps.setString(1, expiring.getString("id"));
            assertEquals(1, ps.executeUpdate());
        }

        String good = create(admin, tenant, "{\"name\":\"g\",\"roles\":[\"viewer\"]}").getString("key");
        String wrongSecret = good.substring(0, 16) + "A".repeat(32);
        String unknown = "hp_000000000000_" + good.substring(16);
        for (String key : new String[] {revoked, expiring.getString("key"), wrongSecret, unknown, "not-a-key", ""}) {
            verify(key).statusCode(401).contentType("application/problem+json").body("code", equalTo("invalid_api_key"))
                    .body("detail", equalTo("The API key is not valid"));
        }
        verify(good).statusCode(200);

        // A suspended tenant's keys stop working too.
        try (Connection c = TestDatabase.asOwner(DATABASE);
                PreparedStatement ps = c.prepareStatement("update tenant set status = 'suspended' where id = ?")) {
            ps.setString(1, tenant);
            assertEquals(1, ps.executeUpdate());
        }
        verify(good).statusCode(401).body("code", equalTo("invalid_api_key"));
    }

    @Test
    void onlyTheGatewayMayVerify() {
        given().auth().oauth2(platformAdmin()).contentType(ContentType.JSON)
                .body("{\"key\":\"" + BOOTSTRAP_SERVICE_KEY + "\"}").post("/api-keys/verify")
                .then().statusCode(403).body("code", equalTo("forbidden"));
        given().contentType(ContentType.JSON).body("{\"key\":\"" + BOOTSTRAP_SERVICE_KEY + "\"}").post("/api-keys/verify")
                .then().statusCode(401).body("code", equalTo("unauthenticated"));
    }

    @Test
    void bootstrapKeysExistAndRotate() {
        verify(BOOTSTRAP_ADMIN_KEY).statusCode(200).body("tenant", equalTo("platform"))
                .body("roles", contains("platform-admin")).body("subject", equalTo("apikey:testadmin001"));
        verify(BOOTSTRAP_SERVICE_KEY).statusCode(200).body("roles", contains("hotpass-service"));
        given().auth().oauth2(platformAdmin()).get("/tenants/platform").then().statusCode(200);

        // Running it again changes nothing; a new secret for the same id replaces the hash.
        bootstrap.ensure(Optional.of(BOOTSTRAP_ADMIN_KEY), Optional.empty());
        verify(BOOTSTRAP_ADMIN_KEY).statusCode(200);
        String rotated = "hp_testadmin001_" + "R".repeat(32);
        try {
            bootstrap.ensure(Optional.of(rotated), Optional.empty());
            verify(rotated).statusCode(200).body("roles", contains("platform-admin"));
            verify(BOOTSTRAP_ADMIN_KEY).statusCode(401);
        } finally {
            bootstrap.ensure(Optional.of(BOOTSTRAP_ADMIN_KEY), Optional.empty());
        }
        verify(BOOTSTRAP_ADMIN_KEY).statusCode(200);
    }

    @Test
    void rowLevelSecurityHidesOtherTenantsKeysFromTheApplicationRole() throws SQLException {
        String a = newTenant("rls-a");
        String b = newTenant("rls-b");
        String idA = create(member(a, "tenant-admin"), a, "{\"name\":\"a\",\"roles\":[\"viewer\"]}").getString("id");
        create(member(b, "tenant-admin"), b, "{\"name\":\"b\",\"roles\":[\"viewer\"]}");
        try (Connection c = TestDatabase.asApp(DATABASE)) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("select count(*) from api_key")) {
                    rs.next();
                    assertEquals(0, rs.getInt(1), "no tenant set: no rows");
                }
                s.execute("select set_config('hotpass.tenant_id', '" + a + "', true)");
                try (ResultSet rs = s.executeQuery("select tenant_id from api_key")) {
                    while (rs.next()) {
                        assertEquals(a, rs.getString(1));
                    }
                }
                // The lookup function reaches across tenants, one key id at a time, for verification only.
                s.execute("select set_config('hotpass.tenant_id', '" + b + "', true)");
                try (ResultSet rs = s.executeQuery("select tenant_id from api_key_lookup('" + idA + "')")) {
                    assertTrue(rs.next());
                    assertEquals(a, rs.getString(1));
                }
            }
            c.rollback();
        }
        given().auth().oauth2(member(b, "tenant-admin")).get("/tenants/" + b + "/api-keys")
                .then().body("items.tenant", not(hasItem(a))).body("items", not(empty()));
    }

    @Test
    void listIsCursorPaginated() {
        String tenant = newTenant("page");
        String admin = member(tenant, "tenant-admin");
        for (int i = 0; i < 3; i++) {
            create(admin, tenant, "{\"name\":\"k" + i + "\",\"roles\":[\"viewer\"]}");
        }
        JsonPath first = given().auth().oauth2(admin).queryParam("limit", 2).get("/tenants/" + tenant + "/api-keys")
                .then().statusCode(200).body("items.size()", equalTo(2)).extract().jsonPath();
        String cursor = first.getString("nextCursor");
        assertNotNull(cursor);
        given().auth().oauth2(admin).queryParam("limit", 2).queryParam("cursor", cursor)
                .get("/tenants/" + tenant + "/api-keys")
                .then().statusCode(200).body("items.size()", equalTo(1)).body("nextCursor", nullValue());
        given().auth().oauth2(admin).queryParam("limit", 0).get("/tenants/" + tenant + "/api-keys")
                .then().statusCode(400).body("errors[0].field", equalTo("limit"));
    }
}
