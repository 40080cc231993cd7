package io.hotpass.lineage.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hotpass.platform.testing.TestTokens;
import io.restassured.http.ContentType;
import java.time.OffsetDateTime;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** Builds OpenLineage 2-0-2 events for tests and posts them as a tenant. */
public final class Events {

    public static final ObjectMapper JSON = new ObjectMapper();
    static final String PRODUCER = "https://example.com/hotpass-tests";

    private Events() {
    }

    public static String tenant(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static ObjectNode run(String type, OffsetDateTime time, UUID runId, String ns, String job) {
        ObjectNode e = JSON.createObjectNode();
        e.put("eventType", type);
        e.put("eventTime", time.toString());
        e.put("producer", PRODUCER);
        e.put("schemaURL", "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent");
        e.putObject("run").put("runId", runId.toString()).putObject("facets");
        e.putObject("job").put("namespace", ns).put("name", job).putObject("facets");
        e.putArray("inputs");
        e.putArray("outputs");
        return e;
    }

    public static ObjectNode dataset(ObjectNode event, String list, String ns, String name) {
        return ((ArrayNode) event.get(list)).addObject().put("namespace", ns).put("name", name);
    }

    public static ObjectNode facet(ObjectNode facets, String name) {
        ObjectNode f = facets.putObject(name);
        f.put("_producer", PRODUCER);
        f.put("_schemaURL", "https://openlineage.io/spec/facets/1-0-0/" + name + ".json");
        return f;
    }

    public static ObjectNode schema(ObjectNode dataset, String... fieldAndType) {
        ObjectNode facets = dataset.has("facets") ? (ObjectNode) dataset.get("facets") : dataset.putObject("facets");
        ArrayNode fields = facet(facets, "schema").putArray("fields");
        for (int i = 0; i < fieldAndType.length; i += 2) {
            fields.addObject().put("name", fieldAndType[i]).put("type", fieldAndType[i + 1]);
        }
        return dataset;
    }

    public static io.restassured.response.ValidatableResponse post(String tenant, Object event) {
        return given().auth().oauth2(TestTokens.forTenant(tenant)).contentType(ContentType.JSON).body(event.toString())
                .post("/api/v1/lineage").then();
    }

    public static io.restassured.specification.RequestSpecification as(String tenant) {
        return given().auth().oauth2(TestTokens.forTenant(tenant));
    }
}
