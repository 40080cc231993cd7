package io.hotpass.enrichment.resolution;

import java.util.Map;

/**
 * One organisation row as entity resolution sees it: a stable id (the dataset's {@code _rowId})
 * and the raw canonical fields it compares. Values are untrusted tenant data.
 */
public record OrgRecord(String id, String name, String email, String phone, String website,
        String registrationNumber) {

    /** Reads the canonical organisation-profile field names of an ingest row. */
    public static OrgRecord fromRow(String id, Map<String, ?> row) {
        return new OrgRecord(id, text(row.get("name")), text(row.get("email")), text(row.get("phone")),
                text(row.get("website")), text(row.get("registration_number")));
    }

    private static String text(Object v) {
        return v == null ? null : v.toString();
    }
}
