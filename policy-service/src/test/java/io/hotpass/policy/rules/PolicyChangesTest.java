package io.hotpass.policy.rules;

import static io.hotpass.policy.PolicyTestSupport.gateway;
import static io.hotpass.policy.PolicyTestSupport.member;
import static io.hotpass.policy.PolicyTestSupport.platformAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotpass.policy.decision.Decision;
import io.hotpass.policy.decision.DecisionRequest;
import io.hotpass.policy.decision.PolicyEngine;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The policy write API: every change validated as a whole, one version per change, history and bundles. */
@QuarkusTest
class PolicyChangesTest {

    @Inject
    PolicyEngine engine;

    @TestHTTPResource("/policy/version/stream")
    URL stream;

    private static String denyRule(String tenant, String action) {
        return "{\"type\":\"deny\",\"role\":\"steward\",\"tenant\":\"" + tenant + "\",\"action\":\"" + action
                + "\",\"resource\":\"tenant/*\"}";
    }

    private static ExtractableResponse<Response> change(String body, String ifMatch) {
        var req = given().auth().oauth2(platformAdmin()).contentType(ContentType.JSON).body(body);
        if (ifMatch != null) {
            req.header("If-Match", ifMatch);
        }
        return req.post("/policy/changes").then().extract();
    }

    private static long currentVersion() {
        return given().auth().oauth2(platformAdmin()).get("/policy/rules").then().statusCode(200)
                .extract().jsonPath().getLong("version");
    }

    private static void removeRules(List<Long> ids) {
        if (!ids.isEmpty()) {
            given().auth().oauth2(platformAdmin()).contentType(ContentType.JSON)
                    .body(Map.of("remove", ids, "comment", "test clean-up")).post("/policy/changes")
                    .then().statusCode(201);
        }
    }

    private Decision stewardDeletes(String tenant) {
        return engine.decide(new DecisionRequest("user-1", tenant, List.of("steward"), "ingest:dataset:delete",
                "tenant/" + tenant + "/datasets/7"));
    }

    @Test
    void aChangeIsOneNewVersionInForceAtOnce() {
        String tenant = "chg-" + UUID.randomUUID().toString().substring(0, 8);
        assertTrue(stewardDeletes(tenant).allow());
        long before = currentVersion();

        var created = change("{\"add\":[" + denyRule(tenant, "ingest:dataset:delete") + "],\"comment\":\"freeze deletes\"}",
                null);
        assertEquals(201, created.statusCode(), created.asString());
        long version = created.jsonPath().getLong("version");
        long ruleId = created.jsonPath().getLong("added[0]");
        assertEquals(before + 1, version);
        assertEquals("\"p" + version + "\"", created.header("ETag"));
        try {
            // This replica answers under the new version before the 201 goes out.
            Decision d = stewardDeletes(tenant);
            assertFalse(d.allow());
            assertEquals("denied_by_rule", d.reason().code());
            assertEquals(List.of(Long.toString(ruleId)), d.matchedRules());
            assertEquals(version, d.policyVersion());

            given().auth().oauth2(platformAdmin()).get("/policy/versions?limit=2").then().statusCode(200)
                    .body("[0].version", equalTo((int) version)).body("[0].createdBy", equalTo("root"))
                    .body("[0].comment", equalTo("freeze deletes"));
            given().auth().oauth2(platformAdmin()).get("/policy/diff?from=" + before + "&to=" + version)
                    .then().statusCode(200).body("added", hasSize(1)).body("removed", hasSize(0))
                    .body("added[0].type", equalTo("deny")).body("added[0].tenant", equalTo(tenant))
                    .body("added[0].id", equalTo((int) ruleId));
        } finally {
            removeRules(List.of(ruleId));
        }
        assertTrue(stewardDeletes(tenant).allow());
        given().auth().oauth2(platformAdmin()).get("/policy/diff?from=" + version + "&to=" + (version + 1))
                .then().statusCode(200).body("added", hasSize(0)).body("removed[0].id", equalTo((int) ruleId));
    }

    @Test
    void invalidChangesAreRefusedWithTheReasonAndNothingChanges() {
        long before = currentVersion();
        var unknownRole = change("{\"add\":[{\"type\":\"allow\",\"role\":\"wizard\",\"tenant\":\"*\",\"action\":\"*\","
                + "\"resource\":\"*\"}]}", null);
        assertEquals(422, unknownRole.statusCode());
        assertEquals("invalid_rule", unknownRole.jsonPath().getString("code"));
        assertEquals("add[0]: unknown role", unknownRole.jsonPath().getString("detail"));

        var badPattern = change("{\"add\":[" + denyRule("acme", "ingest:data set") + "]}", null);
        assertEquals(422, badPattern.statusCode());
        assertTrue(badPattern.jsonPath().getString("detail").startsWith("add[0]: action "), badPattern.asString());

        var badTenant = change("{\"add\":[" + denyRule("Not A Tenant", "x:y") + "]}", null);
        assertEquals(422, badTenant.statusCode());
        assertThat(badTenant.jsonPath().getString("detail"), "domain must be a tenant id or *");

        var bindingWithAction = change("{\"add\":[{\"type\":\"binding\",\"subject\":\"u-1\",\"role\":\"viewer\","
                + "\"tenant\":\"acme\",\"action\":\"x:y\"}]}", null);
        assertEquals(422, bindingWithAction.statusCode());

        var unknownId = change("{\"remove\":[999999999]}", null);
        assertEquals(422, unknownId.statusCode());
        assertEquals("unknown_rule", unknownId.jsonPath().getString("code"));

        var empty = change("{}", null);
        assertEquals(422, empty.statusCode());
        assertEquals("empty_change", empty.jsonPath().getString("code"));

        var badType = change("{\"add\":[{\"type\":\"maybe\",\"role\":\"viewer\",\"tenant\":\"*\"}]}", null);
        assertEquals(400, badType.statusCode());
        assertEquals("validation_failed", badType.jsonPath().getString("code"));

        assertEquals(before, currentVersion());
        assertEquals(before, engine.snapshot().version());
    }

    @Test
    void aChangeThatWouldLockOutEveryPlatformAdministratorIsRefused() {
        long before = currentVersion();
        var denyAll = change("{\"add\":[{\"type\":\"deny\",\"role\":\"platform-admin\",\"tenant\":\"*\",\"action\":\"*\","
                + "\"resource\":\"*\"}]}", null);
        assertEquals(422, denyAll.statusCode());
        assertEquals("policy_lockout", denyAll.jsonPath().getString("code"));
        assertThat(denyAll.jsonPath().getString("detail"), "denied_by_rule");

        long adminRule = given().auth().oauth2(platformAdmin()).get("/policy/rules").then().statusCode(200).extract()
                .jsonPath().getLong("rules.find { it.role == 'platform-admin' && it.type == 'allow' }.id");
        var removeAdmin = change("{\"remove\":[" + adminRule + "]}", null);
        assertEquals(422, removeAdmin.statusCode());
        assertEquals("policy_lockout", removeAdmin.jsonPath().getString("code"));
        assertThat(removeAdmin.jsonPath().getString("detail"), "no_matching_permission");
        assertEquals(before, currentVersion());
    }

    @Test
    void ifMatchMakesAChangeConditional() {
        long version = currentVersion();
        var stale = change("{\"add\":[" + denyRule("acme", "x:stale") + "]}", "\"p" + (version - 1) + "\"");
        assertEquals(412, stale.statusCode());
        assertEquals("\"p" + version + "\"", stale.jsonPath().getString("currentEtag"));
        assertEquals(version, currentVersion());

        var fresh = change("{\"add\":[" + denyRule("acme", "x:fresh") + "]}", "\"p" + version + "\"");
        assertEquals(201, fresh.statusCode(), fresh.asString());
        removeRules(List.of(fresh.jsonPath().getLong("added[0]")));
    }

    @Test
    void bundlesExportImportAndRoundTrip() {
        var exported = given().auth().oauth2(platformAdmin()).get("/policy/bundle").then().statusCode(200)
                .header("Content-Disposition", containsString("policy-v")).extract();
        Map<String, Object> bundle = exported.jsonPath().getMap("");
        List<Map<String, Object>> rules = exported.jsonPath().getList("rules");
        assertEquals(PolicyBundle.FORMAT, bundle.get("format"));
        Map<String, Object> viewerList = rules.stream().filter(r -> "*:list".equals(r.get("action"))).findFirst()
                .orElseThrow();

        // Import the bundle without the viewer's list permission: one version, that one rule removed.
        List<Map<String, Object>> without = rules.stream().filter(r -> r != viewerList).toList();
        var imported = given().auth().oauth2(platformAdmin()).contentType(ContentType.JSON)
                .body(Map.of("format", PolicyBundle.FORMAT, "rules", without, "comment", "drop list"))
                .put("/policy/bundle").then().extract();
        assertEquals(201, imported.statusCode(), imported.asString());
        assertEquals(List.of(((Number) viewerList.get("id")).intValue()), imported.jsonPath().getList("removed"));
        assertEquals(List.of(), imported.jsonPath().getList("added"));
        assertFalse(engine.decide(new DecisionRequest("v", "acme", List.of("viewer"), "ingest:dataset:list",
                "tenant/acme/datasets")).allow());

        // Importing the original brings the rule back (under a new id) as one more version.
        var restored = given().auth().oauth2(platformAdmin()).contentType(ContentType.JSON)
                .body(Map.of("format", PolicyBundle.FORMAT, "rules", rules)).put("/policy/bundle").then().extract();
        assertEquals(201, restored.statusCode(), restored.asString());
        assertEquals(1, restored.jsonPath().getList("added").size());
        assertTrue(engine.decide(new DecisionRequest("v", "acme", List.of("viewer"), "ingest:dataset:list",
                "tenant/acme/datasets")).allow());

        given().auth().oauth2(platformAdmin()).contentType(ContentType.JSON)
                .body(Map.of("format", "something-else/9", "rules", rules)).put("/policy/bundle")
                .then().statusCode(400).body("code", equalTo("validation_failed"));
        given().auth().oauth2(platformAdmin()).contentType(ContentType.JSON)
                .body(Map.of("format", PolicyBundle.FORMAT, "rules", List.of())).put("/policy/bundle")
                .then().statusCode(422).body("code", equalTo("policy_lockout"));
    }

    @Test
    void onlyPlatformAdministratorsReadOrChangeThePolicy() {
        for (String token : List.of(member("acme", "tenant-admin"), gateway())) {
            given().auth().oauth2(token).get("/policy/rules").then().statusCode(403);
            given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"remove\":[1]}").post("/policy/changes")
                    .then().statusCode(403).body("code", equalTo("forbidden"));
            given().auth().oauth2(token).get("/policy/bundle").then().statusCode(403);
            given().auth().oauth2(token).get("/decisions/explain?subject=a&tenant=acme&roles=viewer&action=a:b&resource=x")
                    .then().statusCode(403);
        }
        given().get("/policy/rules").then().statusCode(401);
    }

    @Test
    void explainShowsWhichRulesMatched() {
        given().auth().oauth2(platformAdmin())
                .get("/decisions/explain?subject=u-1&tenant=acme&roles=viewer,steward&action=ingest:dataset:read"
                        + "&resource=tenant/acme/datasets/4")
                .then().statusCode(200)
                .body("decision.allow", equalTo(true)).body("decision.reason", equalTo("allowed_by_role"))
                .body("principals", equalTo(List.of("steward", "viewer", "u-1")))
                .body("rules.findAll { it.matched }.role", hasItem("viewer"))
                .body("rules.find { it.role == 'viewer' && it.action == '*:list' }.actionMatches", equalTo(false))
                .body("rules.find { it.role == 'viewer' && it.action == '*:list' }.resourceMatches", equalTo(true));
        given().auth().oauth2(platformAdmin())
                .get("/decisions/explain?subject=u-1&tenant=acme&roles=steward&action=ingest:dataset:read"
                        + "&resource=tenant/globex/datasets/4")
                .then().statusCode(200).body("decision.reason", equalTo("tenant_mismatch"))
                .body("principals", hasSize(0));
        given().auth().oauth2(platformAdmin()).get("/decisions/explain?subject=u-1&tenant=acme&action=x:y")
                .then().statusCode(400).body("code", equalTo("validation_failed"));
    }

    @Test
    void theVersionStreamAnnouncesChanges() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(stream.toString()))
                .header("Authorization", "Bearer " + member("acme", "viewer")).header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(30)).build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            long first = nextVersion(lines);
            assertEquals(engine.snapshot().version(), first);
            var created = change("{\"add\":[" + denyRule("acme", "x:streamed") + "]}", null);
            assertEquals(201, created.statusCode());
            try {
                assertEquals(created.jsonPath().getLong("version"), nextVersion(lines));
            } finally {
                removeRules(List.of(created.jsonPath().getLong("added[0]")));
            }
        }
    }

    private static long nextVersion(BufferedReader lines) throws Exception {
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.startsWith("data:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new AssertionError("stream ended");
    }

    /**
     * Reload atomicity: while versions alternate between "deny" and "allow" for one request, every
     * decision made concurrently must be the answer of the version it reports — never a mix of an
     * old version's rules and a new version's number.
     */
    @Test
    void decisionsDuringChangesAreEachEvaluatedUnderOneVersion() throws Exception {
        String tenant = "atom-" + UUID.randomUUID().toString().substring(0, 8);
        Map<Long, Boolean> expected = new ConcurrentHashMap<>();
        expected.put(engine.snapshot().version(), true);
        List<Decision> seen = new CopyOnWriteArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> deciders = new java.util.ArrayList<>();
            for (int t = 0; t < 3; t++) {
                deciders.add(pool.submit(() -> {
                    while (running.get()) {
                        seen.add(stewardDeletes(tenant));
                    }
                }));
            }
            for (int i = 0; i < 6; i++) {
                var added = change("{\"add\":[" + denyRule(tenant, "ingest:dataset:delete") + "]}", null);
                assertEquals(201, added.statusCode(), added.asString());
                expected.put(added.jsonPath().getLong("version"), false);
                var removed = change("{\"remove\":[" + added.jsonPath().getLong("added[0]") + "]}", null);
                assertEquals(201, removed.statusCode(), removed.asString());
                expected.put(removed.jsonPath().getLong("version"), true);
            }
            running.set(false);
            for (Future<?> f : deciders) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            running.set(false);
            pool.shutdownNow();
        }
        Set<Long> versionsSeen = new java.util.TreeSet<>();
        for (Decision d : seen) {
            Boolean allow = expected.get(d.policyVersion());
            assertTrue(allow != null, "decision under an unexpected version " + d.policyVersion());
            assertEquals(allow, d.allow(), "version " + d.policyVersion() + " answered " + d);
            versionsSeen.add(d.policyVersion());
        }
        assertTrue(versionsSeen.size() > 2, "the deciders saw the versions change: " + versionsSeen);
    }

    private static void assertThat(String actual, String fragment) {
        assertTrue(actual != null && actual.contains(fragment), actual + " should mention " + fragment);
    }
}
