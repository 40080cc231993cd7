package io.hotpass.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import io.fabric8.openshift.api.model.monitoring.v1.RuleGroup;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The alert rules and the Grafana dashboard: well formed, covering what SREs watch, and the chart's copies equal. */
class MonitoringAssetsTest {

    private static PrometheusRule rules() {
        Manifests m = Manifests.parse(Repository.read("k8s/monitoring/prometheus-rules.yaml"));
        return m.ofType(PrometheusRule.class).get(0);
    }

    @Test
    void alertRulesCoverErrorsOutboxAuditChainAndDrift() {
        List<Rule> alerts = rules().getSpec().getGroups().stream().flatMap(g -> g.getRules().stream()).toList();
        Set<String> names = alerts.stream().map(Rule::getAlert).collect(Collectors.toSet());
        assertTrue(names.containsAll(Set.of("HotpassHighErrorRate", "HotpassOutboxLag", "HotpassAuditChainVerificationFailed",
                "HotpassDataDriftDetected", "HotpassCircuitBreakerOpen", "HotpassServiceDown")), names.toString());
        Set<String> seen = new HashSet<>();
        for (Rule rule : alerts) {
            assertTrue(seen.add(rule.getAlert()), "duplicate alert " + rule.getAlert());
            String expr = rule.getExpr().getStrVal();
            assertNotNull(expr, rule.getAlert() + ": an expression");
            assertBalanced(rule.getAlert(), expr);
            assertTrue(Set.of("critical", "warning", "info").contains(rule.getLabels().get("severity")), rule.getAlert() + ": severity");
            assertNotNull(rule.getAnnotations().get("summary"), rule.getAlert() + ": summary");
            String runbook = rule.getAnnotations().get("runbook");
            assertNotNull(runbook, rule.getAlert() + ": runbook");
            String anchor = runbook.substring(runbook.indexOf('#') + 1);
            String guide = Repository.read(runbook.substring(0, runbook.indexOf('#')));
            assertTrue(guide.lines().anyMatch(l -> l.startsWith("#") && slug(l).equals(anchor)),
                    rule.getAlert() + ": the runbook section " + runbook + " exists");
        }
        assertTrue(expression(alerts, "HotpassOutboxLag").contains("hotpass_outbox_pending"));
        assertTrue(expression(alerts, "HotpassHighErrorRate").contains("status=~\"5..\""));
    }

    private static String expression(List<Rule> alerts, String name) {
        return alerts.stream().filter(r -> r.getAlert().equals(name)).findFirst().orElseThrow().getExpr().getStrVal();
    }

    private static void assertBalanced(String what, String expr) {
        int depth = 0;
        for (char c : expr.toCharArray()) {
            depth += c == '(' || c == '{' || c == '[' ? 1 : c == ')' || c == '}' || c == ']' ? -1 : 0;
            assertTrue(depth >= 0, what + ": unbalanced brackets in " + expr);
        }
        assertEquals(0, depth, what + ": unbalanced brackets in " + expr);
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
    static String slug(String heading) {
        return heading.replaceFirst("^#+\\s*", "").toLowerCase().replaceAll("[^a-z0-9 _-]", "").trim().replace(' ', '-');
    }

    @Test
    void chartRendersTheSameRuleGroups() {
        Manifests production = RenderedManifestsTest.rendered("production");
        List<RuleGroup> fromChart = production.ofType(PrometheusRule.class).get(0).getSpec().getGroups();
        assertEquals(rules().getSpec().getGroups(), fromChart, "helm/hotpass/files/prometheus-rules.yaml differs from k8s/monitoring/prometheus-rules.yaml");
    }

    @Test
    void dashboardShowsRedMetricsOutboxBreakersAndPolicyLatency() {
        JsonNode dashboard = ChartLintAndSchemaTest.readJson("k8s/monitoring/grafana-dashboard-hotpass.json");
        assertEquals("hotpass-overview", dashboard.get("uid").asText());
        List<String> expressions = new ArrayList<>();
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : dashboard.get("panels")) {
            assertTrue(ids.add(panel.get("id").asInt()), "duplicate panel id " + panel.get("id"));
            assertNotNull(panel.get("gridPos"), panel.get("title") + ": a position");
            for (JsonNode target : panel.path("targets")) {
                String expr = target.get("expr").asText();
                assertBalanced(panel.get("title").asText(), expr);
                assertEquals("${datasource}", target.path("datasource").path("uid").asText(), panel.get("title") + ": uses the datasource variable");
                expressions.add(expr);
            }
        }
        String all = String.join("\n", expressions);
        for (String metric : List.of("http_server_requests_seconds_count", "http_server_requests_seconds_bucket", "by (service, method, uri)",
                "hotpass_outbox_pending", "hotpass_gateway_circuit_breaker_state", "hotpass_gateway_policy_decision_seconds_bucket",
                "hotpass_ingest_rows_total", "hotpass_validations_total")) {
            assertTrue(all.contains(metric), "no panel queries " + metric);
        }
        List<String> variables = new ArrayList<>();
        dashboard.get("templating").get("list").forEach(v -> variables.add(v.get("name").asText()));
        assertEquals(List.of("datasource", "namespace", "service"), variables);
    }

    @Test
    void chartCopiesMatchTheK8sFiles() {
        assertEquals(Repository.read("k8s/monitoring/grafana-dashboard-hotpass.json"), Repository.read("helm/hotpass/files/grafana-dashboard-hotpass.json"),
                "helm/hotpass/files/grafana-dashboard-hotpass.json differs from k8s/monitoring/");
        assertEquals(Repository.read("k8s/keycloak/realm-hotpass.json"), Repository.read("helm/hotpass/files/realm-hotpass.json"),
                "helm/hotpass/files/realm-hotpass.json differs from k8s/keycloak/");
        assertFalse(Repository.read("helm/hotpass/files/prometheus-rules.yaml").isBlank());
    }
}
