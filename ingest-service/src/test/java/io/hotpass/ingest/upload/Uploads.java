package io.hotpass.ingest.upload;

import static io.restassured.RestAssured.given;

import io.hotpass.platform.testing.TestDatabase;
import io.hotpass.platform.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/** Test helpers: datasets, uploads and database counts. */
final class Uploads {

    static final String DB = "hotpass_ingest_test";
    static final String HEADER = "Organisation Name,Contact Email,Phone,Website,Street Address,City,Province,Country,"
            + "Registration No,Category,Fleet Size,Founded,Last Inspection\n";

    private Uploads() {
    }

    static String tenant(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    static String dataset(String tenant, boolean rowKey) {
        return given().auth().oauth2(TestTokens.forTenant(tenant)).contentType(ContentType.JSON)
                .body("{\"name\":\"orgs-" + UUID.randomUUID().toString().substring(0, 6) + "\",\"profile\":\"organisation\""
                        + (rowKey ? ",\"rowKey\":[\"registration_number\"]" : "") + "}")
                .post("/datasets").then().statusCode(201).extract().path("id");
    }

    /** RestAssured appends "; charset=ISO-8859-1" to text types unless told not to: a charset the service honours. */
    private static final io.restassured.config.RestAssuredConfig AS_SENT = io.restassured.RestAssured.config()
            .encoderConfig(io.restassured.config.EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false));

    static RequestSpecification as(String tenant) {
        return given().config(AS_SENT).auth().oauth2(TestTokens.forTenant(tenant));
    }

    static Response upload(String tenant, String dataset, String csv) {
        return upload(tenant, dataset, csv.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static Response upload(String tenant, String dataset, byte[] csv) {
        return as(tenant).contentType("text/csv").header("X-File-Name", "orgs.csv").body(csv)
                .post("/datasets/" + dataset + "/uploads");
    }

    static String row(String name, String email, String phone, String reg) {
        return name + "," + email + "," + phone + ",example.co.za,1 Main Rd,Cape Town,Western Cape,RSA," + reg
                + ",Charter,12,1999,2023-05-01\n";
    }

    static long count(String sql, Object... args) throws SQLException {
        try (Connection c = TestDatabase.asOwner(DB); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Runs one statement as the database owner; how many rows it changed. */
    static int execute(String sql, Object... args) throws SQLException {
        try (Connection c = TestDatabase.asOwner(DB); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        }
    }

    static long versions(String dataset) throws SQLException {
        return count("select count(*) from dataset_version where dataset_id = ?::uuid", dataset);
    }

    static long rows(String dataset) throws SQLException {
        return count("select count(*) from dataset_row where dataset_id = ?::uuid", dataset);
    }
}
