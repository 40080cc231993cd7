package io.hotpass.platform.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotpass.platform.problem.ErrorCode;
import io.hotpass.platform.problem.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The switch on a real Vert.x router, in front of a stand-in for the service's own routes. The
 * caller's roles come from a test header here; in a service they come from the internal JWT
 * ({@link FaultInjectionRoutes#platformAdmin}).
 */
class FaultHttpTest {

    static final ObjectMapper JSON = new ObjectMapper();
    final FaultSwitchTest.TestClock clock = new FaultSwitchTest.TestClock();
    final FaultSwitch faults = new FaultSwitch(FaultSwitchTest.config(true, 16), clock, () -> 0.0);
    final HttpClient client = HttpClient.newHttpClient();
    Vertx vertx;
    HttpServer server;

    static Future<String> fakeAdmin(RoutingContext rc) {
        String roles = rc.request().getHeader("X-Test-Roles");
        if (roles == null) {
            return Future.failedFuture(new ProblemException(ErrorCode.UNAUTHENTICATED, "no credential"));
        }
        return roles.contains("platform-admin") ? Future.succeededFuture("key-admin")
                : Future.failedFuture(new ProblemException(ErrorCode.FORBIDDEN, "not an admin"));
    }

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        FaultHttp.install(router, faults, FaultHttpTest::fakeAdmin);
        router.route().handler(rc -> rc.response().end("served " + rc.normalizedPath()));
        server = vertx.createHttpServer().requestHandler(router).listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    HttpResponse<String> send(String method, String path, String roles, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (roles != null) {
            b.header("X-Test-Roles", roles);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void onlyAPlatformAdministratorMayLookAtOrSetFaults() throws Exception {
        String body = "{\"pathPrefix\": \"/datasets\", \"latencyMs\": 100}";
        HttpResponse<String> anonymous = send("POST", "/admin/faults", null, body);
        assertEquals(401, anonymous.statusCode());
        assertEquals("application/problem+json", anonymous.headers().firstValue("Content-Type").orElse(""));
        assertEquals("unauthenticated", json(anonymous).path("code").asText());
        HttpResponse<String> tenantAdmin = send("POST", "/admin/faults", "tenant-admin", body);
        assertEquals(403, tenantAdmin.statusCode());
        assertEquals("forbidden", json(tenantAdmin).path("code").asText());
        assertEquals(403, send("GET", "/admin/faults", "tenant-admin", null).statusCode());
        assertEquals(403, send("DELETE", "/admin/faults", "viewer", null).statusCode());
        assertTrue(faults.active().isEmpty(), "nothing was set by a refused caller");
    }

    @Test
    void anAdministratorSlowsARouteThenClearsIt() throws Exception {
        HttpResponse<String> set = send("POST", "/admin/faults", "platform-admin",
                "{\"method\": \"GET\", \"pathPrefix\": \"/datasets\", \"latencyMs\": 600, \"ttlSeconds\": 120}");
        assertEquals(201, set.statusCode(), set.body());
        JsonNode fault = json(set);
        assertEquals("/datasets", fault.path("pathPrefix").asText());
        assertEquals("key-admin", fault.path("setBy").asText());
        assertEquals("2026-11-26T12:02:00Z", fault.path("expiresAt").asText());
        assertEquals("/admin/faults/" + fault.path("id").asText(), set.headers().firstValue("Location").orElse(""));

        long t0 = System.nanoTime();
        HttpResponse<String> slow = send("GET", "/datasets?limit=1", null, null);
        long slowMs = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(200, slow.statusCode());
        assertEquals("served /datasets", slow.body(), "after the delay the service answers as usual");
        assertTrue(slowMs >= 600, "waited " + slowMs + " ms");
        assertEquals(fault.path("id").asText(), slow.headers().firstValue(FaultHttp.HEADER).orElse(""));

        t0 = System.nanoTime();
        HttpResponse<String> other = send("POST", "/datasets", null, "{}");
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 500, "POST is not faulted");
        assertNull(other.headers().firstValue(FaultHttp.HEADER).orElse(null));
        assertEquals(200, send("GET", "/q/health/ready", null, null).statusCode());

        JsonNode listed = json(send("GET", "/admin/faults", "platform-admin", null));
        assertEquals(1, listed.path("faults").size());
        assertEquals(204, send("DELETE", "/admin/faults/" + fault.path("id").asText(), "platform-admin", null).statusCode());
        assertEquals(404, send("DELETE", "/admin/faults/" + fault.path("id").asText(), "platform-admin", null).statusCode());
        t0 = System.nanoTime();
        assertEquals(200, send("GET", "/datasets", null, null).statusCode());
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 500, "cleared: fast again");
    }

    @Test
    void clearingAFaultReleasesTheRequestsItIsHolding() throws Exception {
        JsonNode fault = json(send("POST", "/admin/faults", "platform-admin", "{\"pathPrefix\": \"/datasets\", \"latencyMs\": 20000}"));
        long t0 = System.nanoTime();
        var held = client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/datasets"))
                .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
        org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.TimeoutException.class, () -> held.get(500, TimeUnit.MILLISECONDS),
                "the request is being held");
        assertEquals(204, send("DELETE", "/admin/faults/" + fault.path("id").asText(), "platform-admin", null).statusCode());
        HttpResponse<String> released = held.get(5, TimeUnit.SECONDS);
        assertEquals(200, released.statusCode());
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 5000, "released by the clear, not after its 20 s");
    }

    @Test
    void anErrorFaultAnswersProblemJsonAndExpiresOnItsOwn() throws Exception {
        assertEquals(201, send("POST", "/admin/faults", "platform-admin",
                "{\"pathPrefix\": \"/validations\", \"errorRate\": 1.0, \"errorStatus\": 503, \"ttlSeconds\": 30}").statusCode());
        HttpResponse<String> failed = send("POST", "/validations", null, "{}");
        assertEquals(503, failed.statusCode());
        assertEquals("application/problem+json", failed.headers().firstValue("Content-Type").orElse(""));
        JsonNode p = json(failed);
        assertEquals("fault_injected", p.path("code").asText());
        assertEquals(503, p.path("status").asInt());
        assertTrue(p.hasNonNull("traceId"));
        assertEquals("1", failed.headers().firstValue("Retry-After").orElse(""));
        clock.advance(Duration.ofSeconds(30));
        assertEquals(200, send("POST", "/validations", null, "{}").statusCode(), "the fault expired without a clear");
        assertEquals(0, json(send("GET", "/admin/faults", "platform-admin", null)).path("faults").size());
    }

    @Test
    void aBadFaultIsA400NamingTheFieldAndSetsNothing() throws Exception {
        HttpResponse<String> bad = send("POST", "/admin/faults", "platform-admin",
                "{\"pathPrefix\": \"/q/health\", \"latencyMs\": -1, \"ttlSeconds\": 86400}");
        assertEquals(400, bad.statusCode());
        JsonNode p = json(bad);
        assertEquals("validation_failed", p.path("code").asText());
        assertEquals("pathPrefix", p.path("errors").path(0).path("field").asText());
        assertEquals("latencyMs", p.path("errors").path(1).path("field").asText());
        assertEquals("ttlSeconds", p.path("errors").path(2).path("field").asText());
        HttpResponse<String> unknown = send("POST", "/admin/faults", "platform-admin", "{\"pathPrefix\": \"/datasets\", \"latency\": 5}");
        assertEquals(400, unknown.statusCode());
        assertEquals("malformed_body", json(unknown).path("code").asText());
        assertEquals("malformed_body", json(send("POST", "/admin/faults", "platform-admin", "not json")).path("code").asText());
        assertEquals(405, send("PUT", "/admin/faults", "platform-admin", "{}").statusCode());
        assertTrue(faults.active().isEmpty());
    }

    @Test
    void switchedOffNothingIsInstalled() {
        FaultInjectionRoutes routes = new FaultInjectionRoutes();
        routes.config = FaultSwitchTest.config(false, 16);
        routes.faults = faults;
        Router router = Router.router(vertx);
        routes.register(router);
        assertEquals(0, router.getRoutes().size(), "disabled: no filter and no /admin/faults route");
    }
}
