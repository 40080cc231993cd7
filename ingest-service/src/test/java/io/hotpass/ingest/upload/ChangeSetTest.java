package io.hotpass.ingest.upload;

import static io.hotpass.ingest.upload.Uploads.HEADER;
import static io.hotpass.ingest.upload.Uploads.as;
import static io.hotpass.ingest.upload.Uploads.row;
import static io.hotpass.ingest.upload.Uploads.upload;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Change sets with If-Match (how enrichment commits land), restore and diff. */
@QuarkusTest
class ChangeSetTest {

    static final String CHANGES = "{\"changes\":[{\"op\":\"upsert\",\"rowId\":\"R1\",\"values\":{\"phone\":\"021 555 1234\"}},"
            + "{\"op\":\"delete\",\"rowId\":\"R2\"},{\"op\":\"upsert\",\"rowId\":\"R9\",\"values\":{\"name\":\"New Org\"}}],"
            + "\"source\":{\"kind\":\"enrichment-plan\",\"ref\":\"plan-1\"}}";

    @Test
    void changeSetNeedsIfMatchAndWritesOnlyTheChangedRows() throws Exception {
        String t = Uploads.tenant("cs");
        String ds = Uploads.dataset(t, true);
        upload(t, ds, HEADER + row("A", "a@x.co.za", "0821234567", "R1") + row("B", "b@x.co.za", "0821234567", "R2")
                + row("C", "c@x.co.za", "0821234567", "R3")).then().statusCode(201);
        as(t).contentType(ContentType.JSON).body(CHANGES).post("/datasets/" + ds + "/versions")
                .then().statusCode(428).body("code", equalTo("precondition_required")).body("currentEtag", equalTo("\"v1\""));
        as(t).contentType(ContentType.JSON).header("If-Match", "\"v0\"").body(CHANGES).post("/datasets/" + ds + "/versions")
                .then().statusCode(412).body("code", equalTo("precondition_failed"));
        assertEquals(1, Uploads.versions(ds));

        as(t).contentType(ContentType.JSON).header("If-Match", "\"v1\"").body(CHANGES).post("/datasets/" + ds + "/versions")
                .then().statusCode(201).header("ETag", "\"v2\"").body("number", equalTo(2)).body("kind", equalTo("changeset"))
                .body("rowCount", equalTo(3)).body("rowsAdded", equalTo(1)).body("rowsChanged", equalTo(1))
                .body("rowsRemoved", equalTo(1)).body("source.ref", equalTo("plan-1"));
        assertEquals(5, Uploads.rows(ds), "3 rows of v1 + the changed R1 + the new R9");
        as(t).queryParam("limit", 10).get("/datasets/" + ds + "/versions/2/rows").then()
                .body("items._rowId", equalTo(java.util.List.of("R1", "R3", "R9")))
                .body("items[0].phone", equalTo("+27215551234")).body("items[0].name", equalTo("A"));

        // The same stale If-Match again: the dataset moved on.
        as(t).contentType(ContentType.JSON).header("If-Match", "\"v1\"").body(CHANGES).post("/datasets/" + ds + "/versions")
                .then().statusCode(412).body("currentEtag", equalTo("\"v2\""));

        as(t).queryParam("from", 1).queryParam("to", 2).get("/datasets/" + ds + "/diff").then().statusCode(200)
                .body("added", equalTo(1)).body("removed", equalTo(1)).body("changed", equalTo(1))
                .body("items.find { it.rowId == 'R1' }.fields[0].field", equalTo("phone"))
                .body("items.find { it.rowId == 'R1' }.fields[0].to", equalTo("+27215551234"))
                .body("items.find { it.rowId == 'R2' }.change", equalTo("removed"));

        as(t).contentType(ContentType.JSON).header("If-Match", "\"v2\"").body("{\"version\":1}")
                .post("/datasets/" + ds + "/restore").then().statusCode(201).body("number", equalTo(3))
                .body("kind", equalTo("restore")).body("rowCount", equalTo(3)).body("source.restoredFrom", equalTo(1));
        as(t).queryParam("from", 1).queryParam("to", 3).get("/datasets/" + ds + "/diff").then().statusCode(200)
                .body("added", equalTo(0)).body("removed", equalTo(0)).body("changed", equalTo(0)).body("items", hasSize(0));
    }

    @Test
    void invalidChangesAreRejectedWithTheFieldNamedAndNothingWritten() throws Exception {
        String t = Uploads.tenant("csbad");
        String ds = Uploads.dataset(t, true);
        upload(t, ds, HEADER + row("A", "a@x.co.za", "0821234567", "R1")).then().statusCode(201);
        as(t).contentType(ContentType.JSON).header("If-Match", "\"v1\"")
                .body("{\"changes\":[{\"op\":\"upsert\",\"rowId\":\"R1\",\"values\":{\"colour\":\"red\"}}]}")
                .post("/datasets/" + ds + "/versions").then().statusCode(400)
                .body("errors.field", hasItem("changes[0].values.colour"));
        as(t).contentType(ContentType.JSON).header("If-Match", "\"v1\"")
                .body("{\"changes\":[{\"op\":\"upsert\",\"rowId\":\"R1\",\"values\":{\"name\":\"Z\"}},"
                        + "{\"op\":\"upsert\",\"rowId\":\"R1\",\"values\":{\"email\":\"nope\"}}]}")
                .post("/datasets/" + ds + "/versions").then().statusCode(400)
                .body("errors.field", hasItem("changes[1].rowId"));
        as(t).contentType(ContentType.JSON).header("If-Match", "\"v1\"")
                .body("{\"changes\":[{\"op\":\"upsert\",\"rowId\":\"R1\",\"values\":{\"email\":\"nope\"}}]}")
                .post("/datasets/" + ds + "/versions").then().statusCode(422).body("code", equalTo("invalid_value"));
        as(t).contentType(ContentType.JSON).header("If-Match", "\"v1\"")
                .body("{\"changes\":[{\"op\":\"delete\",\"rowId\":\"nope\"}]}")
                .post("/datasets/" + ds + "/versions").then().statusCode(422).body("code", equalTo("row_not_found"));
        as(t).contentType(ContentType.JSON).header("If-Match", "\"v1\"")
                .body("{\"changes\":[{\"op\":\"merge\",\"rowId\":\"R1\"}]}")
                .post("/datasets/" + ds + "/versions").then().statusCode(400).body("errors.field", hasItem("changes[0].op"));
        assertEquals(1, Uploads.versions(ds));
        assertEquals(1, Uploads.rows(ds));
        as("someone-else").contentType(ContentType.JSON).header("If-Match", "\"v1\"").body(CHANGES)
                .post("/datasets/" + ds + "/versions").then().statusCode(404);
    }

    @Test
    void wholeRowUpsertMayRepeatAStoredFlaggedValue() throws Exception {
        // Enrichment and merges send the whole row; a value kept raw and flagged at upload (an
        // unparseable phone) is repeated unchanged and must not make the change set invalid.
        String t = Uploads.tenant("cswhole");
        String ds = Uploads.dataset(t, true);
        upload(t, ds, HEADER + row("A", "a@x.co.za", "12345", "R1")).then().statusCode(201);
        String phone = as(t).queryParam("limit", 10).get("/datasets/" + ds + "/versions/1/rows").then().statusCode(200)
                .extract().path("items[0].phone");
        as(t).contentType(ContentType.JSON).header("If-Match", "\"v1\"")
                .body("{\"changes\":[{\"op\":\"upsert\",\"rowId\":\"R1\",\"values\":{\"name\":\"A2\",\"phone\":\"" + phone + "\"}}]}")
                .post("/datasets/" + ds + "/versions").then().statusCode(201).body("rowsChanged", equalTo(1));
        as(t).queryParam("limit", 10).get("/datasets/" + ds + "/versions/2/rows").then()
                .body("items[0].name", equalTo("A2")).body("items[0].phone", equalTo(phone));
    }

    @Test
    void idempotencyKeyReplaysTheCommittedVersion() throws Exception {
        String t = Uploads.tenant("csidem");
        String ds = Uploads.dataset(t, true);
        upload(t, ds, HEADER + row("A", "a@x.co.za", "0821234567", "R1")).then().statusCode(201);
        String key = UUID.randomUUID().toString();
        String body = "{\"changes\":[{\"op\":\"upsert\",\"rowId\":\"R1\",\"values\":{\"name\":\"Z\"}}]}";
        as(t).contentType(ContentType.JSON).header("If-Match", "\"v1\"").header("Idempotency-Key", key).body(body)
                .post("/datasets/" + ds + "/versions").then().statusCode(201).body("number", equalTo(2));
        as(t).contentType(ContentType.JSON).header("If-Match", "\"v1\"").header("Idempotency-Key", key).body(body)
                .post("/datasets/" + ds + "/versions").then().statusCode(201).header("Idempotent-Replayed", "true")
                .body("number", equalTo(2));
        assertEquals(2, Uploads.versions(ds));
    }
}
