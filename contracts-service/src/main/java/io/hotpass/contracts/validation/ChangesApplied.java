package io.hotpass.contracts.validation;

import io.hotpass.contracts.engine.ValidationEngine;
import io.hotpass.platform.problem.ProblemException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A version's rows as they would be after an ingest change set: an upsert merges its values into
 * the row of its id (or, when the version has no such row, adds one after the last row), a delete
 * drops the row. Rows stream through one at a time; only the changes are held.
 */
final class ChangesApplied implements Iterator<Map<String, ?>> {

    private Iterator<? extends Map<String, ?>> rows;
    private final Map<String, Map<String, Object>> upserts = new LinkedHashMap<>();
    private final Set<String> deletes = new HashSet<>();
    private final Set<String> seenDeletes = new HashSet<>();
    private Iterator<Map.Entry<String, Map<String, Object>>> added;
    private Map<String, ?> next;
    private long upserted;
    private long addedCount;
    private long deleted;

    /** Checks the changes as ingest would (one change per row id, an upsert has values, no '_' fields). */
    ChangesApplied(List<WhatIfRequest.Change> changes) {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < changes.size(); i++) {
            WhatIfRequest.Change c = changes.get(i);
            String at = "changes[" + i + "]";
            if (!ids.add(c.rowId())) {
                throw ProblemException.badRequest(at + ".rowId", "names a row already changed in this change set");
            }
            if (c.op().equals("delete")) {
                deletes.add(c.rowId());
                continue;
            }
            if (c.values() == null || c.values().isEmpty()) {
                throw ProblemException.badRequest(at + ".values", "an upsert needs values");
            }
            for (String field : c.values().keySet()) {
                if (field.startsWith("_")) {
                    throw ProblemException.badRequest(at + ".values." + field, "is not a field (names starting with '_'"
                            + " are ingest's own)");
                }
            }
            upserts.put(c.rowId(), new HashMap<>(c.values()));
        }
    }

    /** Applies the changes to these rows (call once, before iterating). */
    ChangesApplied to(Iterator<? extends Map<String, ?>> versionRows) {
        this.rows = versionRows;
        return this;
    }

    @Override
    public boolean hasNext() {
        while (next == null) {
            if (added == null) {
                if (rows.hasNext()) {
                    next = apply(rows.next());
                    continue;
                }
                // Upserts whose id no row had are new rows, in the order the change set named them.
                added = upserts.entrySet().iterator();
            }
            if (!added.hasNext()) {
                return false;
            }
            Map.Entry<String, Map<String, Object>> e = added.next();
            Map<String, Object> row = new HashMap<>(e.getValue());
            row.put(ValidationEngine.ROW_ID, e.getKey());
            addedCount++;
            next = row;
        }
        return true;
    }

    @Override
    public Map<String, ?> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Map<String, ?> r = next;
        next = null;
        return r;
    }

    /** The row with its change applied, or null when it is deleted. */
    private Map<String, ?> apply(Map<String, ?> row) {
        Object id = row.get(ValidationEngine.ROW_ID);
        if (id == null) {
            return row;
        }
        String rowId = id.toString();
        if (deletes.contains(rowId)) {
            seenDeletes.add(rowId);
            deleted++;
            return null;
        }
        Map<String, Object> values = upserts.remove(rowId);
        if (values == null) {
            return row;
        }
        upserted++;
        Map<String, Object> merged = new HashMap<>(row);
        merged.putAll(values);
        return merged;
    }

    /** Counts, once the rows have been read to the end. */
    WhatIfView.Applied applied() {
        return new WhatIfView.Applied(upserted, addedCount, deleted, deletes.size() - seenDeletes.size());
    }
}
