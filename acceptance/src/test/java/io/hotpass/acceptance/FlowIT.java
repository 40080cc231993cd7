package io.hotpass.acceptance;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The main path through the real stack, through the gateway only. */
class FlowIT {

    static Stack stack;
    static String acme;
    static String globex;

    @BeforeAll
    static void up() {
        stack = Stack.get();
        acme = Tenants.key("acme", "tenant-admin");
        globex = Tenants.key("globex", "tenant-admin");
    }

    @Test
    void datasetIsCreatedOnceReadWithEtagAndInvisibleToOtherTenants() {
        String name = "orgs-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> body = Map.of("name", name, "profile", "organisation", "rowKey", List.of("registration_number"));
        String key = UUID.randomUUID().toString();
        Response created = given().baseUri(stack.gateway()).header("X-API-Key", acme).header("Idempotency-Key", key)
                .contentType(ContentType.JSON).body(body).post("/api/v1/ingest/datasets");
        created.then().statusCode(201).header("Location", startsWith("/api/v1/ingest/datasets/")).header("ETag", "\"v0\"");
        given().baseUri(stack.gateway()).header("X-API-Key", acme).header("Idempotency-Key", key)
                .contentType(ContentType.JSON).body(body).post("/api/v1/ingest/datasets")
                .then().statusCode(201).header("Idempotent-Replayed", "true").body("id", equalTo(created.path("id")));
        given().baseUri(stack.gateway()).header("X-API-Key", acme).get(created.header("Location"))
                .then().statusCode(200).body("name", equalTo(name)).header("ETag", "\"v0\"");
        given().baseUri(stack.gateway()).header("X-API-Key", globex).get(created.header("Location"))
                .then().statusCode(404).body("code", equalTo("dataset_not_found"));
        given().baseUri(stack.gateway()).header("X-API-Key", acme).header("X-Tenant", "globex").get(created.header("Location"))
                .then().statusCode(403).body("code", equalTo("tenant_mismatch"));
    }

    @Test
    void datasetEventReachesLineageThroughTheOutboxAndTheGateway() {
        String name = "lineage-" + UUID.randomUUID().toString().substring(0, 8);
        given().baseUri(stack.gateway()).header("X-API-Key", acme).contentType(ContentType.JSON)
                .body(Map.of("name", name, "profile", "organisation")).post("/api/v1/ingest/datasets").then().statusCode(201);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() ->
                given().baseUri(stack.gateway()).header("X-API-Key", acme).queryParam("limit", 1000)
                        .get("/marquez/api/v1/events/lineage").then().statusCode(200).extract()
                        .<List<String>>path("events.dataset.name").contains(name));
        // The event is the tenant's own: another tenant does not see it.
        List<String> theirs = given().baseUri(stack.gateway()).header("X-API-Key", globex).queryParam("limit", 1000)
                .get("/marquez/api/v1/events/lineage").then().statusCode(200).extract().path("events.dataset.name");
        assertFalse(theirs.contains(name));
    }

    @Test
    void contractRegistryAndLineageEventsWorkThroughTheGateway() {
        String name = "c-" + UUID.randomUUID().toString().substring(0, 8);
        given().baseUri(stack.gateway()).header("X-API-Key", acme).contentType(ContentType.JSON)
                .body(Map.of("name", name, "profile", "organisation")).post("/api/v1/ingest/datasets").then().statusCode(201);
        // contracts-service checks with ingest, through the gateway, that the dataset exists.
        given().baseUri(stack.gateway()).header("X-API-Key", acme).contentType("application/yaml")
                .body(("name: " + name + "\nversion: 1.0.0\ndataset: " + name + "\nfields:\n  name: {type: string, required: true}\n")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/api/v1/contracts/contracts").then().statusCode(201).body("state", equalTo("draft"));
        given().baseUri(stack.gateway()).header("X-API-Key", acme).contentType("application/yaml")
                .body(("name: " + name + "-x\nversion: 1.0.0\ndataset: no-such-dataset\nfields:\n  name: {type: string}\n")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/api/v1/contracts/contracts").then().statusCode(422).body("code", equalTo("unknown_dataset"));
        given().baseUri(stack.gateway()).header("X-API-Key", acme).contentType(ContentType.JSON)
                .body(Map.of("name", name, "datasetId", UUID.randomUUID().toString(), "matchOn", List.of("name")))
                .post("/api/v1/enrichment/registries").then().statusCode(201);
        String run = UUID.randomUUID().toString();
        given().baseUri(stack.gateway()).header("X-API-Key", acme).contentType(ContentType.JSON)
                .body(Map.of("eventType", "START", "eventTime", OffsetDateTime.now().toString(), "producer", "https://example.com/it",
                        "schemaURL", "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
                        "run", Map.of("runId", run), "job", Map.of("namespace", "acme", "name", name)))
                .post("/marquez/api/v1/lineage").then().statusCode(201);
    }

    @Test
    void aVersionIsPublishedOnlyOnceItsContractAndLineageGatesPassThenRestoredAndExportedAlike() {
        String name = "pub-" + UUID.randomUUID().toString().substring(0, 8);
        String ds = given().baseUri(stack.gateway()).header("X-API-Key", acme).contentType(ContentType.JSON)
                .body(Map.of("name", name, "profile", "organisation", "rowKey", List.of("registration_number")))
                .post("/api/v1/ingest/datasets").then().statusCode(201).extract().path("id");
        String csv = "Organisation Name,Contact Email,Registration No\nAtlas Aero,info@atlas.co.za,R1\n"
                + "Sun Air,ops@sun.co.za,R2\n";
        given().baseUri(stack.gateway()).header("X-API-Key", acme).contentType("text/csv").body(csv)
                .post("/api/v1/ingest/datasets/" + ds + "/uploads").then().statusCode(201).body("version.number", equalTo(1));

        // No contract yet: the contract gate blocks, and says why.
        given().baseUri(stack.gateway()).header("X-API-Key", acme).post("/api/v1/ingest/datasets/" + ds + "/versions/1/publish")
                .then().statusCode(409).body("code", equalTo("publish_blocked"))
                .body("reasons.code", org.hamcrest.Matchers.hasItem("no_contract"));

        String contract = given().baseUri(stack.gateway()).header("X-API-Key", acme).contentType("application/yaml")
                .body(("name: " + name + "\nversion: 1.0.0\ndataset: " + name + "\nfields:\n  name: {type: string, required: true}\n"
                        + "  email: {type: string, required: true}\n").getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/api/v1/contracts/contracts").then().statusCode(201).extract().path("id");
        given().baseUri(stack.gateway()).header("X-API-Key", acme).post("/api/v1/contracts/contracts/" + contract + "/activate")
                .then().statusCode(org.hamcrest.Matchers.oneOf(200, 201, 204));
        given().baseUri(stack.gateway()).header("X-API-Key", acme).contentType(ContentType.JSON)
                .body(Map.of("datasetId", ds, "version", 1)).post("/api/v1/contracts/validations")
                .then().statusCode(org.hamcrest.Matchers.oneOf(200, 201)).body("status", equalTo("passed"));

        // The upload's COMPLETE event reaches lineage through the outbox; then both gates pass.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() ->
                given().baseUri(stack.gateway()).header("X-API-Key", acme)
                        .post("/api/v1/ingest/datasets/" + ds + "/versions/1/publish").statusCode() == 200);
        given().baseUri(stack.gateway()).header("X-API-Key", acme).get("/api/v1/ingest/datasets/" + ds)
                .then().statusCode(200).body("publishedVersion", equalTo(1));

        byte[] before = given().baseUri(stack.gateway()).header("X-API-Key", acme)
                .get("/api/v1/ingest/datasets/" + ds + "/versions/1/export").then().statusCode(200).extract().asByteArray();
        given().baseUri(stack.gateway()).header("X-API-Key", acme).contentType("text/csv")
                .body("Organisation Name,Contact Email,Registration No\nOther Co,o@other.co.za,R9\n")
                .post("/api/v1/ingest/datasets/" + ds + "/uploads").then().statusCode(201).body("version.number", equalTo(2));
        given().baseUri(stack.gateway()).header("X-API-Key", acme).contentType(ContentType.JSON).body(Map.of("version", 1))
                .post("/api/v1/ingest/datasets/" + ds + "/restore").then().statusCode(201).body("number", equalTo(3));
        byte[] restored = given().baseUri(stack.gateway()).header("X-API-Key", acme)
                .get("/api/v1/ingest/datasets/" + ds + "/versions/3/export").then().statusCode(200).extract().asByteArray();
        org.junit.jupiter.api.Assertions.assertArrayEquals(before, restored, "the restored version exports byte for byte");
        // Version 2 has not been validated: publishing it is blocked by the contract gate.
        given().baseUri(stack.gateway()).header("X-API-Key", acme).post("/api/v1/ingest/datasets/" + ds + "/versions/2/publish")
                .then().statusCode(409).body("reasons.code", org.hamcrest.Matchers.hasItem("not_validated"));
    }

    @Test
    void anAsynchronousUploadAndAnAsynchronousValidationRunOnRunnersAndAreFollowedThroughTheGateway() {
        String name = "async-" + UUID.randomUUID().toString().substring(0, 8);
        String ds = given().baseUri(stack.gateway()).header("X-API-Key", acme).contentType(ContentType.JSON)
                .body(Map.of("name", name, "profile", "organisation", "rowKey", List.of("registration_number")))
                .post("/api/v1/ingest/datasets").then().statusCode(201).extract().path("id");
        StringBuilder csv = new StringBuilder("Organisation Name,Contact Email,Registration No\n");
        for (int i = 0; i < 500; i++) {
            csv.append("Org ").append(i).append(",info@org").append(i).append(".co.za,R").append(i).append('\n');
        }
        // The upload is staged and answered at once; its run's public Location is followed through the gateway.
        Response accepted = given().baseUri(stack.gateway()).header("X-API-Key", acme).contentType("text/csv").body(csv.toString())
                .post("/api/v1/ingest/datasets/" + ds + "/uploads?async=true");
        accepted.then().statusCode(202).header("Location", startsWith("/api/v1/ingest/runs/"));
        String run = accepted.header("Location");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            String state = given().baseUri(stack.gateway()).header("X-API-Key", acme).get(run).then().statusCode(200).extract().path("state");
            assertFalse("failed".equals(state), "the asynchronous upload failed");
            return "stored".equals(state);
        });
        given().baseUri(stack.gateway()).header("X-API-Key", acme).get(run).then().body("rowsStored", equalTo(500)).body("version", equalTo(1));
        given().baseUri(stack.gateway()).header("X-API-Key", globex).get(run).then().statusCode(404);

        String contract = given().baseUri(stack.gateway()).header("X-API-Key", acme).contentType("application/yaml")
                .body(("name: " + name + "\nversion: 1.0.0\ndataset: " + name + "\nfields:\n  name: {type: string, required: true}\n"
                        + "  registration_number: {type: string, required: true, unique: true}\n").getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/api/v1/contracts/contracts").then().statusCode(201).extract().path("id");
        given().baseUri(stack.gateway()).header("X-API-Key", acme).post("/api/v1/contracts/contracts/" + contract + "/activate")
                .then().statusCode(org.hamcrest.Matchers.oneOf(200, 201, 204));
        Response queued = given().baseUri(stack.gateway()).header("X-API-Key", acme).contentType(ContentType.JSON)
                .body(Map.of("datasetId", ds, "version", 1, "mode", "async")).post("/api/v1/contracts/validations");
        queued.then().statusCode(202).header("Location", startsWith("/api/v1/contracts/validations/"));
        String validation = queued.header("Location");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            String status = given().baseUri(stack.gateway()).header("X-API-Key", acme).get(validation).then().statusCode(200).extract().path("status");
            return !"queued".equals(status) && !"running".equals(status);
        });
        given().baseUri(stack.gateway()).header("X-API-Key", acme).get(validation).then().body("status", equalTo("passed"));
    }

    @Test
    void mutatingRequestsReachTheTenantsAuditChainWhichVerifies() {
        String auditor = Tenants.key("acme", "auditor");
        String name = "audited-" + UUID.randomUUID().toString().substring(0, 8);
        given().baseUri(stack.gateway()).header("X-API-Key", acme).contentType(ContentType.JSON)
                .body(Map.of("name", name, "profile", "organisation")).post("/api/v1/ingest/datasets").then().statusCode(201);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() ->
                given().baseUri(stack.gateway()).header("X-API-Key", auditor).queryParam("action", "ingest:dataset:create")
                        .queryParam("limit", 1000).get("/api/v1/policy/audit").then().statusCode(200).extract()
                        .<List<String>>path("entries.action").size() > 0);
        given().baseUri(stack.gateway()).header("X-API-Key", auditor).get("/api/v1/policy/audit/verify")
                .then().statusCode(200).body("valid", equalTo(true));
        // A tenant administrator is not an auditor.
        given().baseUri(stack.gateway()).header("X-API-Key", acme).get("/api/v1/policy/audit").then().statusCode(403);
    }

    @Test
    void servicesRefuseAnythingButTheGatewaysToken() {
        for (String service : List.of("ingest-service", "contracts-service", "enrichment-service", "lineage-service", "policy-service")) {
            String path = switch (service) {
                case "ingest-service" -> "/datasets";
                case "contracts-service" -> "/contracts?name=x";
                case "enrichment-service" -> "/registries";
                case "lineage-service" -> "/api/v1/events/lineage";
                default -> "/tenants/acme";
            };
            given().baseUri(stack.url(service)).header("X-API-Key", acme).get(path)
                    .then().statusCode(401).body("code", equalTo("unauthenticated")).body("traceId", notNullValue());
            given().baseUri(stack.url(service)).auth().oauth2(Tokens.forgedInternal("acme")).get(path)
                    .then().statusCode(401);
        }
    }

    @Test
    void aTenantSystemsKeycloakTokenWorksThroughTheGatewayAndATamperedOneDoesNot() {
        // tenant-acme is the realm's machine client of acme (client credentials, as a tenant system uses it).
        String token = given().baseUri(stack.keycloak.url()).formParam("grant_type", "client_credentials")
                .formParam("client_id", "tenant-acme").formParam("client_secret", "acme-acceptance-secret")
                .post("/realms/hotpass/protocol/openid-connect/token").then().statusCode(200).extract().path("access_token");
        given().baseUri(stack.gateway()).auth().oauth2(token).get("/api/v1/ingest/datasets").then().statusCode(200);
        // The service saw the gateway's internal token for acme, never Keycloak's.
        given().baseUri(stack.gateway()).auth().oauth2(token).get("/api/v1/ingest/datasets/" + UUID.randomUUID())
                .then().statusCode(404).body("code", equalTo("dataset_not_found"));
        String[] parts = token.split("\\.");
        String forged = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
        given().baseUri(stack.gateway()).auth().oauth2(forged).get("/api/v1/ingest/datasets").then().statusCode(401)
                .body("code", equalTo("unauthenticated"));
        // Straight to a service, Keycloak's token is refused: only the gateway's internal token is accepted there.
        given().baseUri(stack.url("ingest-service")).auth().oauth2(token).get("/datasets").then().statusCode(401);
    }

    @Test
    void oneTraceSpansTheCallerTheGatewayAndTheService() {
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String callerSpan = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        // An unknown dataset: ingest-service answers 404 itself, so the request crossed both processes.
        given().baseUri(stack.gateway()).header("X-API-Key", acme).header("traceparent", "00-" + traceId + "-" + callerSpan + "-01")
                .get("/api/v1/ingest/datasets/" + UUID.randomUUID())
                .then().statusCode(404).body("code", equalTo("dataset_not_found")).body("traceId", equalTo(traceId))
                .header("traceparent", startsWith("00-" + traceId + "-"));
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() ->
                    stack.traces.trace(traceId).stream().anyMatch(s -> s.service().equals("gateway") && s.kind().equals("SPAN_KIND_SERVER"))
                            && stack.traces.trace(traceId).stream().anyMatch(s -> s.service().equals("ingest-service")
                                    && s.kind().equals("SPAN_KIND_SERVER")));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no server spans of both gateway and ingest-service in trace " + traceId + ": "
                    + stack.traces.trace(traceId) + "; spans received per service: " + stack.traces.summary(), e);
        }
        List<TraceCollector.ReceivedSpan> spans = stack.traces.trace(traceId);
        TraceCollector.ReceivedSpan gateway = spans.stream().filter(s -> s.service().equals("gateway")
                && s.kind().equals("SPAN_KIND_SERVER")).findFirst().orElseThrow();
        TraceCollector.ReceivedSpan ingest = spans.stream().filter(s -> s.service().equals("ingest-service")
                && s.kind().equals("SPAN_KIND_SERVER")).findFirst().orElseThrow();
        assertEquals(callerSpan, gateway.parentSpanId(), "the gateway's span continues the caller's: " + spans);
        List<String> gatewaySpans = spans.stream().filter(s -> s.service().equals("gateway")).map(TraceCollector.ReceivedSpan::spanId).toList();
        assertTrue(gatewaySpans.contains(ingest.parentSpanId()), "the service's span is a child of a gateway span: " + spans);
    }

    @Test
    void anUploadIsOneTraceFromTheCallerThroughTheOutboxRelayToLineageService() {
        String ds = given().baseUri(stack.gateway()).header("X-API-Key", acme).contentType(ContentType.JSON)
                .body(Map.of("name", "traced-" + UUID.randomUUID().toString().substring(0, 8), "profile", "organisation"))
                .post("/api/v1/ingest/datasets").then().statusCode(201).extract().path("id");
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String callerSpan = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        given().baseUri(stack.gateway()).header("X-API-Key", acme).header("traceparent", "00-" + traceId + "-" + callerSpan + "-01")
                .contentType("text/csv").body("Organisation Name,Contact Email\nAtlas Aero,info@atlas.co.za\n")
                .post("/api/v1/ingest/datasets/" + ds + "/uploads").then().statusCode(201);
        // The upload's events wait in ingest's outbox; the relay delivers them later, through the gateway. Each
        // process exports its spans on its own schedule (the relay's span ends after the delivery, so it often
        // arrives after lineage-service's): wait for all three kinds.
        try {
            await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(500)).until(() -> {
                List<TraceCollector.ReceivedSpan> seen = stack.traces.trace(traceId);
                return seen.stream().anyMatch(s -> s.service().equals("lineage-service") && s.kind().equals("SPAN_KIND_SERVER"))
                        && seen.stream().anyMatch(s -> s.service().equals("ingest-service") && s.kind().equals("SPAN_KIND_PRODUCER"))
                        && seen.stream().filter(s -> s.service().equals("gateway") && s.kind().equals("SPAN_KIND_SERVER")).count() >= 2;
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("trace " + traceId + " lacks lineage-service's, the relay's or the gateway's spans: "
                    + stack.traces.trace(traceId) + "; spans received per service: " + stack.traces.summary(), e);
        }
        List<TraceCollector.ReceivedSpan> spans = stack.traces.trace(traceId);
        TraceCollector.ReceivedSpan relay = spans.stream().filter(s -> s.service().equals("ingest-service")
                && s.kind().equals("SPAN_KIND_PRODUCER") && s.name().equals("outbox deliver lineage")).findFirst()
                .orElseThrow(() -> new AssertionError("no outbox delivery span of ingest-service: " + spans));
        List<String> ingestSpans = spans.stream().filter(s -> s.service().equals("ingest-service"))
                .map(TraceCollector.ReceivedSpan::spanId).toList();
        assertTrue(ingestSpans.contains(relay.parentSpanId()), "the delivery is a child of the upload's span: " + spans);
        TraceCollector.ReceivedSpan delivery = spans.stream().filter(s -> s.service().equals("gateway")
                && s.kind().equals("SPAN_KIND_SERVER") && relay.spanId().equals(s.parentSpanId())).findFirst()
                .orElseThrow(() -> new AssertionError("the gateway's span for the delivery does not continue the relay's: " + spans));
        List<String> gatewaySpans = spans.stream().filter(s -> s.service().equals("gateway"))
                .map(TraceCollector.ReceivedSpan::spanId).toList();
        TraceCollector.ReceivedSpan lineage = spans.stream().filter(s -> s.service().equals("lineage-service")
                && s.kind().equals("SPAN_KIND_SERVER")).findFirst().orElseThrow();
        assertTrue(gatewaySpans.contains(lineage.parentSpanId()), "lineage-service's span is a child of a gateway span: " + spans);
        assertTrue(delivery.parentSpanId() != null && !delivery.parentSpanId().equals(callerSpan));
    }

    @Test
    void plantedSecretsNeverComeBackInErrorsAuditOrLineage() {
        String plantedKey = "hp_plantedkey01_" + "S3cr3tPlantedValue0123456789abcd";
        String plantedPassword = "hunter2-planted-" + UUID.randomUUID();
        String unknownKeyBody = given().baseUri(stack.gateway()).header("X-API-Key", plantedKey)
                .get("/api/v1/ingest/datasets").then().statusCode(401).extract().asString();
        assertFalse(unknownKeyBody.contains("S3cr3tPlantedValue"), unknownKeyBody);
        String malformed = given().baseUri(stack.gateway()).header("X-API-Key", acme).contentType(ContentType.JSON)
                .body("{\"name\": \"x\", \"password\": " + plantedPassword).post("/api/v1/ingest/datasets")
                .then().statusCode(400).extract().asString();
        assertFalse(malformed.contains(plantedPassword), malformed);
        String auditor = Tenants.key("acme", "auditor");
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() ->
                given().baseUri(stack.gateway()).header("X-API-Key", auditor).queryParam("limit", 1000)
                        .get("/api/v1/policy/audit").then().statusCode(200).extract().<List<Object>>path("entries").size() > 0);
        String audit = given().baseUri(stack.gateway()).header("X-API-Key", auditor).queryParam("limit", 1000)
                .get("/api/v1/policy/audit").then().statusCode(200).extract().asString();
        String lineage = given().baseUri(stack.gateway()).header("X-API-Key", acme).queryParam("limit", 1000)
                .get("/marquez/api/v1/events/lineage").then().statusCode(200).extract().asString();
        List<String> secrets = new java.util.ArrayList<>(Tenants.allKeys());
        secrets.add(stack.adminKey);
        secrets.add(stack.serviceKey);
        secrets.add(plantedKey);
        secrets.add(plantedPassword);
        for (String secret : secrets) {
            assertFalse(audit.contains(secret), "audit entries contain a credential");
            assertFalse(lineage.contains(secret), "lineage events contain a credential");
        }
    }

    @AfterAll
    static void noCredentialInAnyLog() throws Exception {
        List<String> secrets = new java.util.ArrayList<>(Tenants.allKeys());
        secrets.add(stack.adminKey);
        secrets.add(stack.serviceKey);
        for (String service : Stack.SERVICES) {
            String log = stack.log(service);
            for (String secret : secrets) {
                assertEquals(-1, log.indexOf(secret), service + " logged a credential");
                assertEquals(-1, log.indexOf(secret.substring(16)), service + " logged a key's secret part");
            }
        }
    }
}
