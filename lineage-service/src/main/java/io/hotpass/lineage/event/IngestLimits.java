package io.hotpass.lineage.event;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits on one OpenLineage event: beyond them the event is refused whole and nothing is stored. */
@ConfigMapping(prefix = "hotpass.lineage.ingest")
public interface IngestLimits {

    /** Facets of one event (run, job and dataset facets together), serialised: larger is 413. */
    @WithDefault("5242880")
    long maxFacetBytes();

    /** Inputs, and separately outputs, on one event: more is 422 too_many_datasets. */
    @WithDefault("10000")
    int maxDatasets();

    /** Events in one batch request: more is 413. */
    @WithDefault("1000")
    int maxBatchEvents();
}
