package io.hotpass.lineage.export;

import static io.hotpass.lineage.testing.Events.as;
import static io.hotpass.lineage.testing.Events.dataset;
import static io.hotpass.lineage.testing.Events.facet;
import static io.hotpass.lineage.testing.Events.post;
import static io.hotpass.lineage.testing.Events.run;
import static io.hotpass.lineage.testing.Events.tenant;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.ModelFactory;
import org.apache.jena.rdf.model.Property;
import org.apache.jena.rdf.model.Resource;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.vocabulary.DCAT;
import org.apache.jena.vocabulary.DCTerms;
import org.apache.jena.vocabulary.RDF;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Exports parsed back with Jena: the triples say what the lineage says. */
@QuarkusTest
class ExportTest {

    static final String PROV = "http://www.w3.org/ns/prov#";
    static final String BASE = "http://127.0.0.1:8080/marquez/api/v1/";
    static final OffsetDateTime T0 = OffsetDateTime.of(2026, 11, 2, 8, 0, 0, 0, ZoneOffset.UTC);

    String tenant;
    UUID load;
    UUID clean;

    @BeforeEach
    void pipeline() {
        tenant = tenant("exp");
        load = step("load", "raw", "orgs_csv", "orgs_raw", "1");
        clean = step("clean", "etl", "orgs_raw", "orgs", "2");
    }

    private UUID step(String job, String inNs, String in, String out, String version) {
        UUID runId = UUID.randomUUID();
        post(tenant, run("START", T0, runId, "etl", job)).statusCode(201);
        ObjectNode e = run("COMPLETE", T0.plusMinutes(2), runId, "etl", job);
        dataset(e, "inputs", inNs, in);
        facet(dataset(e, "outputs", "etl", out).putObject("facets"), "version").put("datasetVersion", version);
        post(tenant, e).statusCode(201);
        return runId;
    }

    @Test
    void runAsProvTurtleRoundTrips() {
        Model m = parse(as(tenant).get("/api/v1/export/prov?nodeId=run:" + clean + "&format=turtle").then().statusCode(200)
                .contentType(containsString("text/turtle")).extract().asString(), Lang.TURTLE);
        Resource run = m.getResource(BASE + "jobs/runs/" + clean);
        assertTrue(m.contains(run, RDF.type, m.getResource(PROV + "Activity")));
        assertEquals("2026-11-02T08:00:00Z", m.getProperty(run, p("startedAtTime")).getLiteral().getLexicalForm());
        assertEquals("2026-11-02T08:02:00Z", m.getProperty(run, p("endedAtTime")).getLiteral().getLexicalForm());
        Resource input = m.getProperty(run, p("used")).getResource();
        assertTrue(input.getURI().startsWith(BASE + "namespaces/etl/datasets/orgs_raw/versions/"), input.getURI());
        Resource output = m.listSubjectsWithProperty(p("wasGeneratedBy"), run).next();
        assertTrue(m.contains(output, p("wasDerivedFrom"), input));
        assertTrue(m.contains(output, p("specializationOf"), m.getResource(BASE + "namespaces/etl/datasets/orgs")));
        Resource assoc = m.getProperty(run, p("qualifiedAssociation")).getResource();
        Resource plan = m.getProperty(assoc, p("hadPlan")).getResource();
        assertEquals(BASE + "namespaces/etl/jobs/clean", plan.getURI());
        assertTrue(m.contains(plan, RDF.type, m.getResource(PROV + "Plan")));
        Resource agent = m.getProperty(run, p("wasAssociatedWith")).getResource();
        assertTrue(m.contains(agent, RDF.type, m.getResource(PROV + "Agent")));
        assertEquals("https://example.com/hotpass-tests", agent.getURI());
    }

    @Test
    void datasetAncestryAsJsonLdRoundTrips() {
        Model m = parse(as(tenant).get("/api/v1/export/prov?nodeId=dataset:etl:orgs&format=jsonld").then().statusCode(200)
                .contentType(containsString("application/ld+json")).extract().asString(), Lang.JSONLD);
        // Both runs of the ancestry, and the chain orgs <- orgs_raw <- orgs_csv.
        assertTrue(m.contains(m.getResource(BASE + "jobs/runs/" + load), RDF.type, m.getResource(PROV + "Activity")));
        assertTrue(m.contains(m.getResource(BASE + "jobs/runs/" + clean), RDF.type, m.getResource(PROV + "Activity")));
        assertEquals(2, m.listSubjectsWithProperty(p("wasGeneratedBy")).toList().size());
        assertTrue(m.contains(null, p("used"), m.getResource(BASE + "namespaces/raw/datasets/orgs_csv")));
    }

    @Test
    void namespaceExportAndUnknownNodes() {
        Model m = parse(as(tenant).get("/api/v1/export/prov?namespace=etl").then().statusCode(200).extract().asString(),
                Lang.TURTLE);
        assertEquals(2, m.listSubjectsWithProperty(RDF.type, m.getResource(PROV + "Activity")).toList().size());
        as(tenant).get("/api/v1/export/prov?namespace=nope").then().statusCode(404).body("code", equalTo("namespace_not_found"));
        as(tenant("other")).get("/api/v1/export/prov?nodeId=run:" + clean).then().statusCode(404);
        as(tenant).get("/api/v1/export/prov?nodeId=run:" + clean + "&format=xml").then().statusCode(400)
                .body("errors.field", hasItem("format"));
    }

    @Test
    void dcatCatalogueListsDatasetsWithDistributions() {
        for (String format : new String[] {"turtle", "jsonld"}) {
            Model m = parse(as(tenant).get("/api/v1/export/dcat?format=" + format).then().statusCode(200).extract().asString(),
                    "turtle".equals(format) ? Lang.TURTLE : Lang.JSONLD);
            Resource catalog = m.listSubjectsWithProperty(RDF.type, DCAT.Catalog).next();
            assertEquals(3, m.listObjectsOfProperty(catalog, DCAT.dataset).toList().size());
            Resource orgs = m.getResource(BASE + "namespaces/etl/datasets/orgs");
            assertTrue(m.contains(orgs, RDF.type, DCAT.Dataset));
            assertEquals("dataset:etl:orgs", m.getProperty(orgs, DCTerms.identifier).getString());
            assertTrue(m.contains(orgs, DCTerms.conformsTo, (org.apache.jena.rdf.model.RDFNode) null));
            assertEquals(3, m.listObjectsOfProperty(orgs, DCAT.distribution).toList().size());
            assertThat(m.listObjectsOfProperty(orgs, DCAT.distribution).toList().stream()
                    .map(d -> d.asResource().getProperty(DCAT.accessURL).getResource().getURI()).toList(),
                    hasItem(BASE + "export/prov?nodeId=dataset%3Aetl%3Aorgs&format=jsonld"));
        }
        Model other = parse(as(tenant("other")).get("/api/v1/export/dcat").then().statusCode(200).extract().asString(), Lang.TURTLE);
        assertEquals(0, other.listSubjectsWithProperty(RDF.type, DCAT.Dataset).toList().size());
    }

    private static Property p(String local) {
        return ModelFactory.createDefaultModel().createProperty(PROV + local);
    }

    private static Model parse(String body, Lang lang) {
        Model m = ModelFactory.createDefaultModel();
        RDFDataMgr.read(m, new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), lang);
        return m;
    }
}
