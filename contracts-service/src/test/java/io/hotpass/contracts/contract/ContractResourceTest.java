package io.hotpass.contracts.contract;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.hotpass.contracts.testing.FakeIngest;
import io.hotpass.contracts.testing.FakeIngestResource;
import io.hotpass.platform.testing.TestDatabase;
import io.hotpass.platform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.UUID;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

@QuarkusTest
@io.quarkus.test.common.QuarkusTestResource(FakeIngestResource.class)
class ContractResourceTest {

    static final FakeIngest INGEST = FakeIngestResource.INGEST;

    static final String YAML = "application/yaml";
    static final io.restassured.config.RestAssuredConfig Y = io.restassured.RestAssured.config().encoderConfig(
            io.restassured.config.EncoderConfig.encoderConfig().encodeContentTypeAs(YAML, ContentType.TEXT));

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String yaml(String name, String version, String dataset, String fields) {
        return "name: " + name + "\nversion: " + version + "\ndataset: " + dataset + "\nowner: data-team\nfields:\n" + fields;
    }

    static final String V1_FIELDS = """
              name: {type: string, required: true}
              email: {type: string, format: email}
              category: {type: string, enum: [Charter, Club, Airline]}
              fleet_size: {type: integer, min: 0, max: 500}
            """;

    static {
        // Contracts must name a dataset of the tenant: ingest (played by FakeIngest) knows these.
        for (String d : List.of("orgs", "d")) {
            INGEST.add("acme", d, 1, 0, i -> java.util.Map.of());
        }
    }

    static String dataset(String tenant) {
        String name = unique("ds");
        INGEST.add(tenant, name, 1, 0, i -> java.util.Map.of());
        return name;
    }

    static String register(String token, String body) {
        return given().auth().oauth2(token).config(Y).contentType(YAML).body(body).post("/contracts")
                .then().statusCode(201).extract().path("id");
    }

    @Test
    void withoutTokenIs401() {
        given().config(Y).contentType(YAML).body(yaml("c", "1.0.0", "d", V1_FIELDS)).post("/contracts")
                .then().statusCode(401).body("code", equalTo("unauthenticated"));
    }

    @Test
    void registerYamlAndJsonListNewestFirstAndHideFromOtherTenants() {
        String name = unique("c");
        String token = TestTokens.forTenant("acme");
        String id = given().auth().oauth2(token).config(Y).contentType(YAML).body(yaml(name, "1.0.0", "orgs", V1_FIELDS))
                .post("/contracts").then().statusCode(201).header("ETag", org.hamcrest.Matchers.notNullValue())
                .body("state", equalTo("draft")).body("spec.fields.name.type", equalTo("string"))
                .body("links.jsonSchema", equalTo("/contracts/" + name + "/versions/1.0.0/schema.json"))
                .extract().path("id");
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\",\"version\":\"1.2.0\",\"dataset\":\"orgs\",\"fields\":{\"name\":{\"type\":\"string\"}}}")
                .post("/contracts").then().statusCode(201);
        given().auth().oauth2(token).queryParam("name", name).get("/contracts")
                .then().statusCode(200).body("version", contains("1.2.0", "1.0.0"));
        given().auth().oauth2(token).get("/contracts/" + id).then().statusCode(200).body("version", equalTo("1.0.0"));
        given().auth().oauth2(TestTokens.forTenant("globex")).get("/contracts/" + id)
                .then().statusCode(404).body("code", equalTo("contract_not_found"));
        given().auth().oauth2(TestTokens.forTenant("globex")).get("/contracts/" + name + "/versions/1.0.0/schema.json")
                .then().statusCode(404).body("code", equalTo("contract_not_found"));
        given().auth().oauth2(token).config(Y).contentType(YAML).body(yaml(name, "1.0.0", "orgs", V1_FIELDS)).post("/contracts")
                .then().statusCode(409).body("code", equalTo("contract_version_exists"));
    }

    @Test
    void badContractsAreRefusedNamingThePathAndNothingIsSaved() throws Exception {
        String token = TestTokens.forTenant("acme");
        String name = unique("bad");
        given().auth().oauth2(token).config(Y).contentType(YAML).body("name: [oops\nversion: 1").post("/contracts")
                .then().statusCode(400).body("code", equalTo("malformed_contract"));
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"name\": ").post("/contracts")
                .then().statusCode(400).body("code", equalTo("malformed_contract"));
        given().auth().oauth2(token).config(Y).contentType(YAML).body(yaml(name, "1.0.0", "d", "  a: {type: varchar}\n"))
                .post("/contracts").then().statusCode(422).body("code", equalTo("invalid_contract"))
                .body("errors.field", hasItem("fields.a.type"));
        given().auth().oauth2(token).config(Y).contentType(YAML).body(yaml(name, "1.0.0", "d", "  a: {type: string, pattern: '(a'}\n"))
                .post("/contracts").then().statusCode(422).body("errors.field", contains("fields.a.pattern"));
        given().auth().oauth2(token).config(Y).contentType(YAML).body(yaml(name, "v1", "d", "  a: {type: string}\n"))
                .post("/contracts").then().statusCode(422).body("errors.field", contains("version"));
        given().auth().oauth2(token).config(Y).contentType(YAML).body(yaml(name, "1.0.0", "no-such-dataset", "  a: {type: string}\n"))
                .post("/contracts").then().statusCode(422).body("code", equalTo("unknown_dataset"))
                .body("errors.field", contains("dataset"));
        // Another tenant's dataset does not exist for this one.
        given().auth().oauth2(TestTokens.forTenant("globex")).config(Y).contentType(YAML)
                .body(yaml(name, "1.0.0", "orgs", "  a: {type: string}\n"))
                .post("/contracts").then().statusCode(422).body("code", equalTo("unknown_dataset"));
        try (Connection c = TestDatabase.asOwner("hotpass_contracts_test");
                PreparedStatement ps = c.prepareStatement("select count(*) from contract_version where name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(0, rs.getInt(1));
            }
        }
    }

    @Test
    void lifecycleAndCompatibilityAgainstTheActiveVersion() {
        String token = TestTokens.forTenant("acme");
        String name = unique("life");
        String dataset = dataset("acme");
        String v1 = register(token, yaml(name, "1.0.0", dataset, V1_FIELDS));
        String etag = given().auth().oauth2(token).get("/contracts/" + v1).then().extract().header("ETag");
        given().auth().oauth2(token).header("If-Match", "\"stale\"").post("/contracts/" + v1 + "/activate")
                .then().statusCode(412).body("code", equalTo("precondition_failed"));
        given().auth().oauth2(token).header("If-Match", etag).post("/contracts/" + v1 + "/activate")
                .then().statusCode(200).body("state", equalTo("active"));

        String breaking = """
                  name: {type: string, required: true}
                  email: {type: string, format: email, required: true}
                  category: {type: string, enum: [Charter, Club]}
                  fleet_size: {type: number, min: 0, max: 500}
                """;
        // Dry run: the report, nothing saved.
        given().auth().oauth2(token).config(Y).contentType(YAML).queryParam("dryRun", true).body(yaml(name, "1.1.0", dataset, breaking))
                .post("/contracts").then().statusCode(200).body("accepted", equalTo(false))
                .body("comparedWith", equalTo("1.0.0"))
                .body("breaks.kind", hasItems("field_made_required", "enum_narrowed", "field_retyped"));
        given().auth().oauth2(token).queryParam("name", name).get("/contracts").then().body("version", contains("1.0.0"));
        // A minor version with breaks is refused, listing each break.
        given().auth().oauth2(token).config(Y).contentType(YAML).body(yaml(name, "1.1.0", dataset, breaking)).post("/contracts")
                .then().statusCode(409).body("code", equalTo("incompatible_change"))
                .body("breaks.field", hasItems("fields.email.required", "fields.category.enum", "fields.fleet_size.type"));
        // Removing a field and narrowing a range are breaks too.
        given().auth().oauth2(token).config(Y).contentType(YAML).queryParam("dryRun", true)
                .body(yaml(name, "1.1.0", dataset, "  name: {type: string, required: true}\n  email: {type: string}\n"
                        + "  category: {type: string}\n"))
                .post("/contracts").then().statusCode(200).body("breaks.kind", hasItem("field_removed"));
        given().auth().oauth2(token).config(Y).contentType(YAML).queryParam("dryRun", true)
                .body(yaml(name, "1.1.0", dataset, V1_FIELDS.replace("max: 500", "max: 100")))
                .post("/contracts").then().statusCode(200).body("breaks.kind", contains("range_narrowed"));
        // A compatible minor version (new optional field, wider enum) is accepted.
        String v11 = register(token, yaml(name, "1.1.0", dataset,
                V1_FIELDS.replace("Airline]", "Airline, Maintenance]") + "  city: {type: string}\n"));
        // The same breaks with a major bump are accepted.
        String v2 = register(token, yaml(name, "2.0.0", dataset, breaking));
        given().auth().oauth2(token).post("/contracts/" + v11 + "/activate").then().statusCode(200);
        given().auth().oauth2(token).get("/contracts/" + v1).then().body("state", equalTo("deprecated"));
        given().auth().oauth2(token).post("/contracts/" + v2 + "/activate").then().statusCode(200)
                .body("state", equalTo("active")).body("deprecatedAt", nullValue());
        given().auth().oauth2(token).queryParam("name", name).get("/contracts").then()
                .body("state", contains("active", "deprecated", "deprecated"));
        // Another contract for the same dataset cannot become active beside it.
        String other = register(token, yaml(unique("other"), "1.0.0", dataset, V1_FIELDS));
        given().auth().oauth2(token).post("/contracts/" + other + "/activate").then().statusCode(409)
                .body("code", equalTo("dataset_has_active_contract"));
        given().auth().oauth2(token).post("/contracts/" + v2 + "/deprecate").then().statusCode(200)
                .body("state", equalTo("deprecated"));
        given().auth().oauth2(token).post("/contracts/" + other + "/activate").then().statusCode(200);
    }

    @Test
    void exportsAreValidJsonSchemaAndAvro() throws Exception {
        String token = TestTokens.forTenant("acme");
        String name = unique("exp");
        register(token, yaml(name, "1.0.0", "orgs", V1_FIELDS + "  seen: {type: date}\n  at: {type: datetime}\n"
                + "  phone: {type: string, format: e164, pattern: '^\\+27'}\n  ok: {type: boolean, required: true}\n"));
        String json = given().auth().oauth2(token).get("/contracts/" + name + "/versions/1.0.0/schema.json")
                .then().statusCode(200).contentType("application/schema+json")
                .body("$schema", equalTo("https://json-schema.org/draft/2020-12/schema"))
                .body("required", containsInAnyOrder("name", "ok")).extract().asString();
        ObjectMapper m = new ObjectMapper();
        JsonNode schemaNode = m.readTree(json);
        // The export is a valid 2020-12 schema (checked against the meta-schema) and works as one.
        Schema meta = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(com.networknt.schema.SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        List<Error> metaErrors = meta.validate(schemaNode);
        assertTrue(metaErrors.isEmpty(), metaErrors.toString());
        Schema rowSchema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schemaNode);
        assertTrue(rowSchema.validate(m.readTree("{\"name\":\"Sky\",\"ok\":true,\"fleet_size\":3,\"category\":null}")).isEmpty());
        List<Error> bad = rowSchema.validate(m.readTree("{\"ok\":\"yes\",\"fleet_size\":900,\"category\":\"Bus\",\"phone\":\"+4420\"}"));
        List<String> where = bad.stream().map(e -> e.getInstanceLocation().toString() + ":" + e.getKeyword()).toList();
        assertTrue(where.containsAll(List.of(":required", "/ok:type", "/fleet_size:maximum", "/category:enum")), where.toString());

        String avsc = given().auth().oauth2(token).get("/contracts/" + name + "/versions/1.0.0/schema.avsc")
                .then().statusCode(200).extract().asString();
        org.apache.avro.Schema avro = new org.apache.avro.Schema.Parser().parse(avsc);
        assertEquals(org.apache.avro.Schema.Type.RECORD, avro.getType());
        assertEquals("date", avro.getField("seen").schema().getTypes().get(1).getLogicalType().getName());
        GenericData.Record rec = new GenericData.Record(avro);
        rec.put("name", "Sky");
        rec.put("ok", true);
        rec.put("fleet_size", 3L);
        // A record following the schema serialises: the schema is usable, not just parseable.
        new GenericDatumWriter<GenericData.Record>(avro).write(rec,
                EncoderFactory.get().binaryEncoder(new java.io.ByteArrayOutputStream(), null));
    }
}
