package io.hotpass.contracts.spec;

import java.util.List;

/**
 * A dataset-level expectation: {@code row_count} (min/max), {@code unique} (columns),
 * {@code freshness} (column, maxAgeDays), {@code null_fraction} (column, max) or
 * {@code referential} (column, refDataset, refColumn).
 */
public record ExpectationSpec(String kind, String name, List<String> columns, Long minRows, Long maxRows,
        Integer maxAgeDays, Double maxFraction, String refDataset, String refColumn, Severity severity,
        double mostly) {

    public String column() {
        return columns.isEmpty() ? null : columns.get(0);
    }
}
