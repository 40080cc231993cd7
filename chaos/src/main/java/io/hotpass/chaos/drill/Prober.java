package io.hotpass.chaos.drill;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotpass.chaos.scenario.Scenario;
import io.hotpass.chaos.targets.Target;
import io.hotpass.chaos.workload.Api;
import io.hotpass.chaos.workload.TokenClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Checks the steady-state hypothesis: once on demand, or continuously, each probe on its own
 * thread so a hung service (SIGSTOP) delays only its own probe. Every sample goes to the journal.
 */
public final class Prober implements AutoCloseable {

    /** The code of a {@code fresh-token} sample that got no token from Keycloak (status 0: it never reached the gateway). */
    public static final String TOKEN_UNAVAILABLE = "token_unavailable";

    private final List<Scenario.Probe> probes;
    private final Target target;
    private final Map<String, String> keys;
    private final Journal journal;
    private final Api api;
    private ScheduledExecutorService scheduler;
    private volatile TokenClient tokens;

    /** @param keys credential name (tenant, viewer, …) → API key */
    public Prober(List<Scenario.Probe> probes, Target target, Map<String, String> keys, Journal journal) {
        this.probes = probes;
        this.target = target;
        this.keys = keys;
        this.journal = journal;
        this.api = new Api(target.gatewayUrl(), journal);
    }

    /** The drill tenant's Keycloak client, for probes {@code as: fresh-token}. */
    public Prober withTokens(TokenClient tokens) {
        this.tokens = tokens;
        return this;
    }

    /** Every probe once; the failures, named. */
    public Journal.SteadyState steadyState() {
        Journal.SteadyState s = new Journal.SteadyState();
        for (Scenario.Probe p : probes) {
            Journal.Sample sample = sample(p);
            if (!sample.ok) {
                s.failures.add(p.name() + ": " + describe(sample));
            }
        }
        s.met = s.failures.isEmpty();
        return s;
    }

    /** True when a full round of probes passes. */
    public boolean allPass() {
        return steadyState().met;
    }

    public void start(Duration every) {
        scheduler = Executors.newScheduledThreadPool(Math.max(1, probes.size()), r -> {
            Thread t = new Thread(r, "chaos-probe");
            t.setDaemon(true);
            return t;
        });
        for (Scenario.Probe p : probes) {
            scheduler.scheduleWithFixedDelay(() -> sample(p), 0, every.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    Journal.Sample sample(Scenario.Probe p) {
        long t = journal.now();
        Journal.Sample s;
        try {
            s = p.metric() != null ? metric(p, t) : http(p, t);
        } catch (RuntimeException e) {
            s = new Journal.Sample(t, p.name(), false, 0, 0, null, e.toString());
        }
        if (Thread.currentThread().isInterrupted()) {
            return s; // cut off by close(), not by the platform: no sample
        }
        journal.samples.add(s);
        return s;
    }

    private Journal.Sample http(Scenario.Probe p, long t) {
        String base = p.service() == null ? target.gatewayUrl() : target.serviceUrl(p.service()).orElse(null);
        if (base == null) {
            return new Journal.Sample(t, p.name(), false, 0, 0, null, p.service() + " cannot be reached directly on this target");
        }
        long tokenMs = 0;
        String key;
        if ("fresh-token".equals(p.as())) {
            // A new token for each sample, as a system signing in now would: none while Keycloak does not answer.
            TokenClient client = tokens;
            if (client == null) {
                return new Journal.Sample(t, p.name(), false, 0, 0, null, "this drill has no Keycloak client");
            }
            TokenClient.Result token = client.fetch(p.timeout());
            if (!token.ok()) {
                return new Journal.Sample(t, p.name(), false, 0, token.latencyMs(), TOKEN_UNAVAILABLE,
                        "no token from Keycloak in " + token.latencyMs() + " ms: " + token.error());
            }
            tokenMs = token.latencyMs();
            key = token.bearer();
        } else {
            key = switch (p.as()) {
                case "anonymous" -> null;
                case "unknown-key" -> "hp_unknownchaos_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
                default -> keys.get(p.as());
            };
        }
        boolean post = p.post() != null;
        Api.Response r = api.send(null, post ? "POST" : "GET", base + (post ? p.post() : p.get()), key, post ? (p.body() == null ? "{}" : p.body()) : null,
                Map.of(), p.timeout());
        List<Integer> wanted = p.status() == null || p.status().isEmpty() ? List.of(200) : p.status();
        List<String> why = new ArrayList<>();
        long latency = tokenMs + r.latencyMs(); // a fresh-token probe: getting the token, then the call
        if (!wanted.contains(r.status())) {
            why.add("status " + r.status() + (r.error() != null ? " (" + r.error() + ")" : "") + " not in " + wanted);
        }
        if (p.maxLatencyMs() != null && latency > p.maxLatencyMs()) {
            why.add("latency " + latency + " ms over " + p.maxLatencyMs() + " ms");
        }
        if (p.jsonPath() != null && why.isEmpty()) {
            Optional<JsonNode> v = at(r.json(), p.jsonPath().path());
            if (Boolean.TRUE.equals(p.jsonPath().exists()) && v.isEmpty()) {
                why.add(p.jsonPath().path() + " is missing");
            }
            if (p.jsonPath().equals() != null && (v.isEmpty() || !v.get().asText().equals(String.valueOf(p.jsonPath().equals())))) {
                why.add(p.jsonPath().path() + " is " + v.map(JsonNode::asText).orElse("missing") + ", not " + p.jsonPath().equals());
            }
        }
        return new Journal.Sample(t, p.name(), why.isEmpty(), r.status(), latency, r.code(), why.isEmpty() ? null : String.join("; ", why));
    }

    private Journal.Sample metric(Scenario.Probe p, long t) {
        Scenario.MetricCheck m = p.metric();
        Optional<String> base = target.serviceUrl(m.service());
        if (base.isEmpty()) {
            return new Journal.Sample(t, p.name(), false, 0, 0, null, m.service() + " metrics cannot be read on this target");
        }
        Api.Response r = api.send(null, "GET", base.get() + "/q/metrics", null, null, Map.of("Accept", "text/plain"), Duration.ofSeconds(5));
        if (r.status() != 200) {
            return new Journal.Sample(t, p.name(), false, r.status(), r.latencyMs(), null, "metrics answered " + r.status()
                    + (r.error() != null ? " (" + r.error() + ")" : ""));
        }
        Double value = PrometheusText.sum(r.body(), m.name());
        List<String> why = new ArrayList<>();
        if (value == null) {
            why.add(m.name() + " is not exported");
        } else {
            if (m.max() != null && value > m.max()) {
                why.add(m.name() + " = " + value + " over " + m.max());
            }
            if (m.min() != null && value < m.min()) {
                why.add(m.name() + " = " + value + " under " + m.min());
            }
        }
        return new Journal.Sample(t, p.name(), why.isEmpty(), r.status(), r.latencyMs(), null,
                why.isEmpty() ? m.name() + " = " + value : String.join("; ", why));
    }

    static Optional<JsonNode> at(JsonNode doc, String path) {
        JsonNode n = doc;
        for (String part : path.split("\\.")) {
            if (part.isEmpty()) {
                continue;
            }
            n = n.isArray() && part.matches("\\d+") ? n.path(Integer.parseInt(part)) : n.path(part);
            if (n.isMissingNode()) {
                return Optional.empty();
            }
        }
        return n.isMissingNode() || n.isNull() ? Optional.empty() : Optional.of(n);
    }

    static String describe(Journal.Sample s) {
        return s.detail != null ? s.detail : "status " + s.status;
    }
}
