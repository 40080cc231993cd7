package io.hotpass.lineage.client;

import static io.hotpass.lineage.testing.Events.as;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.hotpass.lineage.testing.Events;
import io.hotpass.platform.testing.TestTokens;
import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineage.RunEvent.EventType;
import io.openlineage.client.OpenLineageClient;
import io.openlineage.client.transports.ApiKeyTokenProvider;
import io.openlineage.client.transports.HttpConfig;
import io.openlineage.client.transports.HttpTransport;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The OpenLineage project's own Java client, configured as a user would (base URL, default
 * endpoint, api_key auth), talks to the running service; what it sent comes back through the
 * Marquez API.
 */
@QuarkusTest
class OpenLineageJavaClientTest {

    @TestHTTPResource("/")
    URL base;

    @Test
    void eventsFromTheOfficialClientAreServedBackThroughTheMarquezApi() throws Exception {
        String tenant = Events.tenant("olj");
        HttpConfig config = new HttpConfig();
        config.setUrl(URI.create(base.getProtocol() + "://" + base.getHost() + ":" + base.getPort())); // no path: the client adds its endpoint
        config.setEndpoint("/api/v1/lineage");
        ApiKeyTokenProvider auth = new ApiKeyTokenProvider();
        auth.setApiKey(TestTokens.forTenant(tenant)); // the client sends it as "Authorization: Bearer <key>"
        config.setAuth(auth);
        OpenLineage ol = new OpenLineage(URI.create("https://github.com/OpenLineage/OpenLineage/tree/1.51.0/client/java"));
        UUID runId = UUID.randomUUID();
        ZonedDateTime start = ZonedDateTime.parse("2026-11-03T09:00:00Z");
        OpenLineage.Job job = ol.newJobBuilder().namespace("spark").name("orgs.enrich").build();
        OpenLineage.SchemaDatasetFacet schema = ol.newSchemaDatasetFacetBuilder()
                .fields(List.of(ol.newSchemaDatasetFacetFieldsBuilder().name("email").type("string").build())).build();
        try (OpenLineageClient client = OpenLineageClient.builder().transport(new HttpTransport(config)).build()) {
            client.emit(ol.newRunEventBuilder().eventType(EventType.START).eventTime(start)
                    .run(ol.newRunBuilder().runId(runId).build()).job(job)
                    .inputs(List.of(ol.newInputDatasetBuilder().namespace("s3://bucket").name("orgs.parquet").build()))
                    .outputs(List.of()).build());
            client.emit(ol.newRunEventBuilder().eventType(EventType.COMPLETE).eventTime(start.plusSeconds(30))
                    .run(ol.newRunBuilder().runId(runId).build()).job(job)
                    .inputs(List.of(ol.newInputDatasetBuilder().namespace("s3://bucket").name("orgs.parquet").build()))
                    .outputs(List.of(ol.newOutputDatasetBuilder().namespace("spark").name("orgs_enriched")
                            .facets(ol.newDatasetFacetsBuilder().schema(schema).build()).build()))
                    .build());
        }
        as(tenant).get("/api/v1/jobs/runs/" + runId).then().statusCode(200)
                .body("state", equalTo("COMPLETED")).body("durationMs", equalTo(30000))
                .body("outputDatasetVersions[0].datasetVersionId.name", equalTo("orgs_enriched"));
        as(tenant).get("/api/v1/namespaces/spark/jobs/orgs.enrich").then().statusCode(200)
                .body("inputs.namespace", contains("s3://bucket")).body("outputs.name", contains("orgs_enriched"));
        as(tenant).get("/api/v1/namespaces/spark/datasets/orgs_enriched").then().statusCode(200)
                .body("fields.name", contains("email"));
        as(tenant).get("/api/v1/lineage?nodeId=dataset:spark:orgs_enriched&depth=2").then().statusCode(200)
                .body("graph.id", hasItem("dataset:s3://bucket:orgs.parquet"));
    }
}
