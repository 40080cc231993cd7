package io.hotpass.contracts.spec;

import java.util.List;
import java.util.Map;

/** A parsed, checked contract: what the validation engine, the exports and the compatibility check read. */
public record ContractDocument(String name, String version, String dataset, String owner, String description,
        Map<String, FieldSpec> fields, List<ExpectationSpec> expectations, DriftSpec drift) {
}
