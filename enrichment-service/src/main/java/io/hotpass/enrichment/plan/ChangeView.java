package io.hotpass.enrichment.plan;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;

/** One proposed change in a plan's diff. */
public record ChangeView(int seq, String rowId, String op, String field, String oldValue, String newValue,
        BigDecimal confidence, String decision, JsonNode evidence) {
}
