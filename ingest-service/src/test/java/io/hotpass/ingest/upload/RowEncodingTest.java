package io.hotpass.ingest.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotpass.ingest.profile.ColumnInference;
import io.hotpass.ingest.profile.Profile;
import io.hotpass.ingest.profile.Profiles;
import io.hotpass.platform.testing.TestDatabase;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The hand-written encoders of the upload path against the libraries they replace: row JSON must be
 * byte for byte Jackson's (row hashes of existing versions depend on it), and the arrays the rows are
 * bound as must come back from PostgreSQL as the values that went in.
 */
class RowEncodingTest {

    private static final JsonFactory JSON = new JsonFactory();

    @Test
    void jsonStringsAreEscapedExactlyAsJacksonEscapesThem() throws Exception {
        Random random = new Random(42);
        List<String> samples = new ArrayList<>(List.of("", "plain", "quote\" backslash\\ slash/", "tab\tnew\nline\r",
                "\u0000\u0001\u001f\u007f", "é ü 中文 \uD83D\uDE00", "\u2028\u2029", "\b\f"));
        for (int i = 0; i < 20_000; i++) {
            char[] c = new char[random.nextInt(24)];
            for (int j = 0; j < c.length; j++) {
                c[j] = (char) (random.nextInt(4) == 0 ? random.nextInt(0x30) : random.nextInt(0xFFFF));
            }
            samples.add(new String(c));
        }
        for (String s : samples) {
            StringBuilder ours = new StringBuilder();
            RowNormaliser.string(ours, s);
            StringWriter w = new StringWriter();
            try (JsonGenerator g = JSON.createGenerator(w)) {
                g.writeString(s);
            }
            assertEquals(w.toString(), ours.toString(), () -> "for " + Arrays.toString(s.chars().toArray()));
        }
    }

    @Test
    void rowsAreTheJsonJacksonWritesForTheirValues() throws Exception {
        Profile p = new Profiles().get("organisation");
        List<String> headers = List.of("Organisation Name", "Email", "Phone", "Website", "Country", "Fleet Size", "Founded",
                "Last Inspection", "Category");
        List<List<String>> rows = List.of(
                List.of("Atlas \"Aero\" CC", "OPS@atlas.co.za", "+27 18 159 0830", "atlas.co.za", "RSA", "12", "1999", "2023-05-01", "Charter\\Cargo"),
                List.of("Sun\tAir", "ops@sun.co.za", "call me", "HTTP://Sun.co.za:80/x?y=1", "south africa", "", "2001", "01/02/2023", "é"),
                List.of("Kite", "k@kite.co.za", "", "", "ZA", "7", "", "", ""));
        RowNormaliser n = new RowNormaliser(p, headers, ColumnInference.infer(p, headers, rows), List.of());
        ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        for (List<String> row : rows) {
            String json = n.normalise(row).json();
            // Jackson reads the row and writes it again: the same members in the same order give the same text.
            String again = mapper.writeValueAsString(mapper.readValue(json, LinkedHashMap.class));
            assertEquals(again, json);
        }
        assertEquals(true, n.normalise(rows.get(1)).json().contains("\"_flags\":[\"phone:invalid_phone\"]"));
    }

    @Test
    void boundArraysComeBackFromPostgresAsTheValuesThatWentIn() throws Exception {
        List<String> values = Arrays.asList("plain", "", null, "quote\"d", "back\\slash", "{braces},commas", " spaced ",
                "NULL", "é 中文", "{\"json\": [1, \"two\"]}", "\\\"", "tab\tnew\nline", "\uD83D\uDE00");
        try (Connection c = TestDatabase.asOwner("postgres");
                PreparedStatement ps = c.prepareStatement("select v from unnest(?::text[]) with ordinality as t(v, i) order by i")) {
            ColumnBatch.bindArrays(ps, 1, values);
            List<String> back = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    back.add(rs.getString(1));
                }
            }
            assertEquals(values, back);
        }
    }
}
