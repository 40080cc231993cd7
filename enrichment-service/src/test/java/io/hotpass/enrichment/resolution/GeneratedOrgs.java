package io.hotpass.enrichment.resolution;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads files written by shared/datasets/gen_orgs.py: its spreadsheet headers mapped onto the
 * canonical profile, row ids = the 0-based data row number its --truth file uses.
 */
final class GeneratedOrgs {

    static final Map<String, String> HEADERS = Map.of("Organisation Name", "name", "Contact Email", "email", "Phone",
            "phone", "Website", "website", "Registration No", "registration_number");

    private GeneratedOrgs() {
    }

    static List<OrgRecord> records(Reader csv) throws IOException {
        List<OrgRecord> out = new ArrayList<>();
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();
        int row = 0;
        for (CSVRecord r : format.parse(csv)) {
            Map<String, String> canonical = new java.util.HashMap<>();
            HEADERS.forEach((header, field) -> {
                String v = r.get(header);
                canonical.put(field, v == null || v.isBlank() ? null : v);
            });
            out.add(OrgRecord.fromRow(Integer.toString(row++), canonical));
        }
        return out;
    }

    static List<String[]> truth(Reader csv) throws IOException {
        List<String[]> out = new ArrayList<>();
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();
        for (CSVRecord r : format.parse(csv)) {
            out.add(new String[] {r.get(0), r.get(1)});
        }
        return out;
    }

    static Reader resource(String name) {
        InputStream in = GeneratedOrgs.class.getResourceAsStream("/resolution/" + name);
        if (in == null) {
            throw new IllegalStateException("missing test resource " + name);
        }
        return new InputStreamReader(in, StandardCharsets.UTF_8);
    }
}
