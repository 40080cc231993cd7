package io.hotpass.lineage.event;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;

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

    /**
     * Writer threads of the group commit: each records a group of waiting events in one
     * transaction (see ADR 0014). Few writers keep lock conflicts between transactions rare.
     */
    @WithDefault("2")
    @Min(1)
    int writers();

    /** Events one writer records in one transaction at most. */
    @WithDefault("64")
    @Min(1)
    int groupSize();

    /** Events waiting for a writer at most: beyond that a post is answered 503 and may be retried. */
    @WithDefault("10000")
    @Min(1)
    int queueCapacity();

    /** How long a post waits for its event to be committed before it is answered 503 (it may still be stored). */
    @WithDefault("PT30S")
    java.time.Duration commitTimeout();
}
