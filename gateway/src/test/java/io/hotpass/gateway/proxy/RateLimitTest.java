package io.hotpass.gateway.proxy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One tenant's flood is answered 429 with Retry-After while another tenant keeps its rate. */
@QuarkusTest
@QuarkusTestResource(UpstreamStubs.class)
@TestProfile(RateLimitTest.TightLimits.class)
class RateLimitTest {

    public static class TightLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("hotpass.gateway.rate-limit.tenant-rate", "0.5", "hotpass.gateway.rate-limit.tenant-burst", "5",
                    "hotpass.gateway.rate-limit.subject-rate", "0.5", "hotpass.gateway.rate-limit.subject-burst", "5");
        }
    }

    @Test
    void floodingTenantGets429AndAnotherTenantIsUnaffected() {
        for (int i = 0; i < 5; i++) {
            given().header("X-API-Key", UpstreamStubs.ADMIN_KEY).get("/api/v1/ingest/datasets").then().statusCode(200)
                    .header("RateLimit-Remaining", matchesPattern("\\d+"));
        }
        given().header("X-API-Key", UpstreamStubs.ADMIN_KEY).get("/api/v1/ingest/datasets").then().statusCode(429)
                .body("code", equalTo("rate_limited")).header("Retry-After", matchesPattern("[1-9]\\d*"))
                .header("RateLimit-Remaining", "0");
        // The platform tenant's key has its own buckets.
        given().header("X-API-Key", UpstreamStubs.PLATFORM_KEY).get("/api/v1/ingest/datasets").then().statusCode(200);
    }
}
