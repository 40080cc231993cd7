package io.hotpass.lineage.export;

import io.hotpass.platform.problem.ProblemException;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFFormat;

/** The two serialisations the exports offer. */
public enum RdfFormat {
    TURTLE("text/turtle", RDFFormat.TURTLE_PRETTY, Lang.TURTLE),
    JSONLD("application/ld+json", RDFFormat.JSONLD, Lang.JSONLD);

    public final String mediaType;
    public final RDFFormat format;
    public final Lang lang;

    RdfFormat(String mediaType, RDFFormat format, Lang lang) {
        this.mediaType = mediaType;
        this.format = format;
        this.lang = lang;
    }

    public static RdfFormat parse(String value) {
        if (value == null || value.isBlank() || value.equalsIgnoreCase("turtle") || value.equalsIgnoreCase("ttl")) {
            return TURTLE;
        }
        if (value.equalsIgnoreCase("jsonld") || value.equalsIgnoreCase("json-ld")) {
            return JSONLD;
        }
        throw ProblemException.badRequest("format", "must be turtle or jsonld");
    }
}
