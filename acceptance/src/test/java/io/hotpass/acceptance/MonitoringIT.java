package io.hotpass.acceptance;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The metrics the shipped dashboard and alert rules query (k8s/monitoring, the same files the chart
 * installs) exist on the running services: a panel or an alert on a series nobody exports shows
 * "no data" or never fires, and nothing else would notice. Found four such series missing (ingest
 * rows, policy decisions and their latency, audit chain verifications), a renamed one (drift alerts)
 * and no request histograms at all.
 */
class MonitoringIT {

    private static final Pattern METRIC = Pattern.compile("\\b((?:hotpass|http_server_requests)_[a-z0-9_]+)");

    static Stack stack;

    @BeforeAll
    static void start() {
        stack = Stack.get();
    }

    @Test
    void everySeriesTheDashboardAndTheAlertsQueryIsExported() throws Exception {
        Path root = Path.of(System.getProperty("hotpass.root", "..")).toAbsolutePath().normalize();
        Set<String> queried = new TreeSet<>();
        for (String file : new String[] {"k8s/monitoring/grafana-dashboard-hotpass.json",
                "k8s/monitoring/prometheus-rules.yaml"}) {
            Matcher m = METRIC.matcher(Files.readString(root.resolve(file)));
            while (m.find()) {
                queried.add(m.group(1));
            }
        }
        assertTrue(queried.size() >= 10, "the assets query fewer series than expected: " + queried);

        // One request each that reaches an application endpoint, so every service has recorded
        // http.server.requests (refused without the gateway's token, or 405: any answer counts).
        StringBuilder exported = new StringBuilder();
        Map<String, String> endpoints = Map.of("policy-service", "/tenants", "ingest-service", "/datasets",
                "contracts-service", "/contracts?name=x", "enrichment-service", "/plans",
                "lineage-service", "/api/v1/namespaces");
        endpoints.forEach((service, path) -> given().get(stack.url(service) + path).then()
                .statusCode(org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(401), org.hamcrest.Matchers.is(405))));
        given().get(stack.gateway() + "/api/v1/ingest/datasets").then().statusCode(401);
        for (String service : Stack.SERVICES) {
            exported.append(given().get(stack.url(service) + "/q/metrics").then().statusCode(200).extract().asString());
        }
        Set<String> missing = new TreeSet<>();
        for (String series : queried) {
            if (!Pattern.compile("(?m)^" + series + "[{ ]").matcher(exported).find()) {
                missing.add(series);
            }
        }
        assertEquals(Set.of(), missing, "queried by k8s/monitoring but exported by no service");
    }
}
