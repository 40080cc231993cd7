package io.hotpass.lineage.export;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where exported RDF points: resource URIs are the Marquez API URLs of each node under the public base. */
@ConfigMapping(prefix = "hotpass.lineage.export")
public interface ExportConfig {

    /** Public base of the Marquez-compatible API (through the gateway), ending in /api/v1/. */
    @WithDefault("http://127.0.0.1:8080/marquez/api/v1/")
    String baseUri();

    /** The contract schema a dataset conforms to; {namespace} and {dataset} are filled in. */
    @WithDefault("http://127.0.0.1:8080/api/v1/contracts/datasets/{dataset}/contract/schema.json")
    String contractSchemaUri();

    /** Most runs in one PROV export; the newest are kept. */
    @WithDefault("5000")
    int maxRuns();
}
