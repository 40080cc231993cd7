package io.hotpass.lineage.graph;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Bounds on one lineage graph query, so a hub node cannot make one answer unbounded. */
@ConfigMapping(prefix = "hotpass.lineage.graph")
public interface GraphLimits {

    /** Largest depth a caller may ask for (Marquez's default depth is 20). */
    @WithDefault("100")
    int maxDepth();

    /** Most nodes in one answer; the walk stops there (nearest nodes first is not guaranteed). */
    @WithDefault("20000")
    int maxNodes();
}
