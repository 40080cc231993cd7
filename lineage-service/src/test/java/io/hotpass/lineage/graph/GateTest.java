package io.hotpass.lineage.graph;

import static io.hotpass.lineage.testing.Events.as;
import static io.hotpass.lineage.testing.Events.dataset;
import static io.hotpass.lineage.testing.Events.facet;
import static io.hotpass.lineage.testing.Events.post;
import static io.hotpass.lineage.testing.Events.run;
import static io.hotpass.lineage.testing.Events.tenant;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The publish gate passes only for a version that a completed run wrote. */
@QuarkusTest
class GateTest {

    @Test
    void passesForAVersionWrittenByACompletedRunOnly() {
        String tenant = tenant("gate");
        write(tenant, "COMPLETE", "3");
        write(tenant, "START", "4");
        as(tenant).get("/api/v1/gates/" + tenant + "/orgs/3").then().statusCode(200)
                .body("pass", equalTo(true)).body("reasons[0].code", equalTo("lineage_recorded"));
        as(tenant).get("/api/v1/gates/" + tenant + "/orgs/4").then().statusCode(200)
                .body("pass", equalTo(false)).body("reasons[0].code", equalTo("run_not_completed"));
        as(tenant).get("/api/v1/gates/" + tenant + "/orgs/5").then().statusCode(200)
                .body("pass", equalTo(false)).body("reasons[0].code", equalTo("lineage_missing"));
        as(tenant("stranger")).get("/api/v1/gates/" + tenant + "/orgs/3").then().statusCode(200)
                .body("pass", equalTo(false));
    }

    private static void write(String tenant, String type, String version) {
        ObjectNode e = run(type, OffsetDateTime.now(), UUID.randomUUID(), tenant, "upload");
        ObjectNode out = dataset(e, "outputs", tenant, "orgs");
        facet(out.putObject("facets"), "version").put("datasetVersion", version);
        post(tenant, e).statusCode(201);
    }
}
