package io.hotpass.contracts.engine;

import java.util.Map;

/** A sample of a row that failed an expectation: its stable row id and the offending value(s). */
public record FailingRow(String rowId, Map<String, Object> values) {
}
