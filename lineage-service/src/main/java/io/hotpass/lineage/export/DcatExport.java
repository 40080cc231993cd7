package io.hotpass.lineage.export;

import io.hotpass.lineage.marquez.MarquezReads;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import org.apache.jena.datatypes.xsd.XSDDatatype;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.ModelFactory;
import org.apache.jena.rdf.model.Resource;
import org.apache.jena.vocabulary.DCAT;
import org.apache.jena.vocabulary.DCTerms;
import org.apache.jena.vocabulary.RDF;

/**
 * A DCAT 3 catalogue of the tenant's datasets: one {@code dcat:Dataset} per dataset with a
 * distribution for its Marquez record (JSON) and one for each PROV export of its ancestry (Turtle
 * and JSON-LD), and {@code dct:conformsTo} the dataset's contract schema.
 */
@ApplicationScoped
public class DcatExport {

    @Inject
    MarquezReads reads;

    @Inject
    ProvExport prov;

    @Inject
    ExportConfig config;

    public Model catalogue(String tenant, String namespace) {
        return reads.query(c -> {
            Model m = ModelFactory.createDefaultModel();
            m.setNsPrefix("dcat", DCAT.NS);
            m.setNsPrefix("dct", DCTerms.NS);
            m.setNsPrefix("xsd", "http://www.w3.org/2001/XMLSchema#");
            Resource catalog = m.createResource(config.baseUri() + "export/dcat" + (namespace == null ? "" : "?namespace="
                    + ProvExport.seg(namespace))).addProperty(RDF.type, DCAT.Catalog)
                    .addProperty(DCTerms.title, "Hotpass datasets of " + tenant)
                    .addProperty(DCTerms.publisher, tenant);
            try (PreparedStatement ps = c.prepareStatement("select namespace, name, description, created_at,"
                    + " coalesce(last_modified_at, updated_at) from lineage_dataset where tenant_id = ?"
                    + (namespace == null ? "" : " and namespace = ?") + " order by namespace, name")) {
                ps.setString(1, tenant);
                if (namespace != null) {
                    ps.setString(2, namespace);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String ns = rs.getString(1);
                        String name = rs.getString(2);
                        String uri = prov.datasetUri(ns, name);
                        Resource ds = m.createResource(uri).addProperty(RDF.type, DCAT.Dataset)
                                .addProperty(DCTerms.identifier, "dataset:" + ns + ":" + name)
                                .addProperty(DCTerms.title, name)
                                .addProperty(DCTerms.conformsTo, m.createResource(config.contractSchemaUri()
                                        .replace("{namespace}", ProvExport.seg(ns)).replace("{dataset}", ProvExport.seg(name))));
                        if (rs.getString(3) != null) {
                            ds.addProperty(DCTerms.description, rs.getString(3));
                        }
                        date(m, ds, DCTerms.issued, rs.getObject(4, OffsetDateTime.class));
                        date(m, ds, DCTerms.modified, rs.getObject(5, OffsetDateTime.class));
                        distribution(m, ds, uri, "application/json", "Marquez dataset record");
                        String provUri = config.baseUri() + "export/prov?nodeId=" + ProvExport.seg("dataset:" + ns + ":" + name);
                        distribution(m, ds, provUri + "&format=turtle", "text/turtle", "PROV-O ancestry (Turtle)");
                        distribution(m, ds, provUri + "&format=jsonld", "application/ld+json", "PROV-O ancestry (JSON-LD)");
                        catalog.addProperty(DCAT.dataset, ds);
                    }
                }
            }
            return m;
        });
    }

    private static void distribution(Model m, Resource ds, String url, String mediaType, String title) {
        Resource d = m.createResource().addProperty(RDF.type, DCAT.Distribution).addProperty(DCTerms.title, title)
                .addProperty(DCAT.accessURL, m.createResource(url)).addProperty(DCAT.downloadURL, m.createResource(url))
                .addProperty(DCAT.mediaType, m.createResource("https://www.iana.org/assignments/media-types/" + mediaType));
        ds.addProperty(DCAT.distribution, d);
    }

    private static void date(Model m, Resource r, org.apache.jena.rdf.model.Property p, OffsetDateTime t) {
        if (t != null) {
            r.addLiteral(p, m.createTypedLiteral(t.toInstant().toString(), XSDDatatype.XSDdateTime));
        }
    }
}
