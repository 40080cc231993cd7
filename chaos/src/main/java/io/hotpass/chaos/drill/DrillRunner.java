package io.hotpass.chaos.drill;

import io.hotpass.chaos.check.ZeroLossCheck;
import io.hotpass.chaos.scenario.Scenario;
import io.hotpass.chaos.targets.Keycloak;
import io.hotpass.chaos.targets.Target;
import io.hotpass.chaos.workload.TokenClient;
import io.hotpass.chaos.workload.Api;
import io.hotpass.chaos.workload.Workload;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one scenario on one target, Chaos Toolkit style: sweep what an earlier killed drill left,
 * check the steady state, start probing and the workload, inject the fault when its trigger fires,
 * hold it (aborting and rolling back at once when an abort threshold is crossed), roll it back,
 * wait for recovery and for the outboxes to drain, check the steady state again and then the data
 * (zero loss), and judge. The journal holds everything; {@link #run} never throws for a failed
 * drill, only for a runner that could not start.
 */
public final class DrillRunner {

    private final Target target;

    public DrillRunner(Target target) {
        this.target = target;
    }

    public Journal run(Scenario scenario) throws Exception {
        Journal j = new Journal(scenario.name(), scenario.title(), scenario.failureMode(), target.name());
        String tag = Long.toString(System.currentTimeMillis() % 100_000_000L, 36) + Integer.toString((int) (Math.random() * 1296), 36);
        String tenant = "drill-" + tag;
        j.settings.put("tenant", tenant);
        j.settings.put("gateway", target.gatewayUrl());
        j.settings.put("probeIntervalMs", scenario.probeEvery().toMillis());
        if (scenario.workload() != null) {
            j.settings.put("rows", scenario.workload().rowCount());
        }
        j.settings.put("fault", scenario.fault());
        j.settings.put("rollbacks", scenario.rollbacks());
        j.event("start", scenario.name() + " on " + target.name() + " (" + target.gatewayUrl() + ")");
        target.sweep(j);

        Api api = new Api(target.gatewayUrl(), j);
        Map<String, String> keys = new ConcurrentHashMap<>(); // the issued token is replaced while probes read
        keys.put("admin", target.adminKey());
        Tenants tenants = new Tenants(api, target.adminKey());
        keys.put("tenant", tenants.key(tenant, "tenant-admin"));
        keys.put("viewer", tenants.key(tenant, "viewer"));
        keys.put("auditor", tenants.key(tenant, "auditor"));
        if ("flood".equals(scenario.fault().action())) {
            keys.put("flooder", tenants.key(tenant + "-flood", "tenant-admin"));
        }
        if ("poison".equals(scenario.fault().action())) {
            keys.put("poisoner", tenants.key(tenant + "-poison", "tenant-admin"));
        }
        j.event("tenants", tenant + " onboarded with tenant-admin, viewer and auditor keys");
        TokenClient tokens = scenario.requiresKeycloak() ? bearerClient(scenario, api, tenant, keys, j) : null;

        Prober prober = new Prober(scenario.probes(), target, keys, j).withTokens(tokens);
        j.steadyStateBefore = prober.steadyState();
        if (!j.steadyStateBefore.met) {
            j.event("not-steady", String.join("; ", j.steadyStateBefore.failures));
            j.verdict = "NOT_STEADY";
            j.reasons.add("the steady state did not hold before the fault: " + j.steadyStateBefore.failures);
            j.finishedAt = Instant.now().toString();
            return j;
        }
        j.event("steady", "steady state holds before the fault");

        Map<String, CompletableFuture<Long>> workloadEvents = new ConcurrentHashMap<>();
        AtomicReference<Workload> workloadRef = new AtomicReference<>();
        Thread workloadThread = null;
        prober.start(scenario.probeEvery());
        java.util.concurrent.ScheduledExecutorService refresher = tokens == null ? null : refreshIssuedToken(tokens, keys, j);
        long drillStart = System.currentTimeMillis();
        boolean aborted = false;
        try {
            if (scenario.workload() != null) {
                Workload w = new Workload(api, keys.get("tenant"), tag.toUpperCase(), j, scenario.workload(),
                        event -> workloadEvents.computeIfAbsent(event, k -> new CompletableFuture<>()).complete(j.now()));
                workloadRef.set(w);
                workloadThread = new Thread(w::run, "chaos-workload");
                workloadThread.start();
            }
            aborted = fault(scenario, j, api, keys, prober, workloadEvents, drillStart);
            if (tokens != null && j.measures.faultRolledBackAt != null) {
                freshTokenAfterRollback(tokens, api, scenario.recovery().limit(), j);
            }
            if (workloadThread != null) {
                workloadThread.join(scenario.workload().retryWindow().toMillis() * (scenario.workload().stepList().size() + 2) + 60_000);
                if (workloadThread.isAlive()) {
                    j.reasons.add("the workload did not finish in its retry window");
                    workloadThread.interrupt();
                }
            }
            j.measures.workloadMs = j.lastEvent("workload-finished");
            awaitRecovery(scenario, j, prober);
        } finally {
            if (refresher != null) {
                refresher.shutdownNow();
            }
            prober.close();
        }

        // Probes write too (a denied write is audited): the last round comes before the drain, so the
        // zero-loss check sees every event the drill caused already delivered.
        j.steadyStateAfter = prober.steadyState();
        ZeroLossCheck check = new ZeroLossCheck(api, target.databases(), tenant, keys.get("tenant"), keys.get("auditor"),
                target.serviceUrl("gateway"));
        // A run the fault interrupted is failed by its service's stale-run sweeper, with a lineage FAIL event: settle
        // first, drain after, so the check judges what the platform ends with, not a sweep still to come.
        if (workloadRef.get() != null) {
            Optional<Long> settled = check.awaitRunsSettled(workloadRef.get().result, scenario.recovery().settleLimit());
            j.measures.runsSettledMs = settled.orElse(null);
            j.event(settled.isPresent() ? "runs-settled" : "runs-not-settled",
                    settled.map(ms -> ms + " ms").orElse("runs still running after " + scenario.recovery().settleLimit()));
        }
        Optional<Long> drained = check.awaitOutboxDrained(scenario.recovery().drainLimit());
        j.measures.outboxDrainMs = drained.orElse(null);
        j.event(drained.isPresent() ? "outbox-drained" : "outbox-not-drained", drained.map(ms -> ms + " ms").orElse("after " + scenario.recovery().drainLimit()));
        if (workloadRef.get() != null && Boolean.TRUE.equals(scenario.expect().zeroLoss())) {
            j.zeroLoss = check.check(workloadRef.get(), j.requests);
            j.event("zero-loss", j.zeroLoss.problems.isEmpty() ? "nothing lost or doubled" : String.join("; ", j.zeroLoss.problems));
        }
        target.sweep(j);
        Verdicts.judge(scenario, j, workloadRef.get(), aborted);
        j.finishedAt = Instant.now().toString();
        j.event("verdict", j.verdict + (j.reasons.isEmpty() ? "" : ": " + String.join("; ", j.reasons)));
        return j;
    }

    /**
     * The drill tenant as a bearer-token client of the target's Keycloak: policy-service onboarded
     * it into the realm (client {@code tenant-<id>}); its secret is rotated through the gateway with
     * the administrator's key (the one way to read it), and a first token is obtained now, before
     * any fault: probes {@code as: issued-token} use it throughout.
     */
    private TokenClient bearerClient(Scenario scenario, Api api, String tenant, Map<String, String> keys, Journal j) throws Exception {
        Keycloak keycloak = target.keycloak().orElseThrow(() -> new IllegalStateException("Scenario " + scenario.name()
                + " requires a Keycloak beside the services and this target runs none (chaos run --launch starts one)"));
        Api.Response r = Tenants.retry(() -> api.send(null, "POST", "/api/v1/policy/tenants/" + tenant + "/client-secret", target.adminKey(),
                null, Map.of(), Duration.ofSeconds(15)));
        if (r.status() != 200) {
            throw new IllegalStateException("The client secret of " + tenant + " answered " + r.status() + " " + r.body());
        }
        TokenClient tokens = new TokenClient(keycloak.tokenEndpoint(), r.json().path("clientId").asText(), r.json().path("clientSecret").asText());
        TokenClient.Result issued = tokens.fetch(Duration.ofSeconds(10));
        for (int i = 0; i < 10 && !issued.ok(); i++) {
            Thread.sleep(1000); // the realm may take a moment to use the rotated secret
            issued = tokens.fetch(Duration.ofSeconds(10));
        }
        if (!issued.ok()) {
            throw new IllegalStateException("No token for " + tokens.clientId() + " from " + keycloak.tokenEndpoint() + ": " + issued.error());
        }
        keys.put("issued-token", issued.bearer());
        j.settings.put("keycloak", keycloak.issuer());
        j.event("token-issued", tokens.clientId() + " got a token from Keycloak (" + issued.latencyMs() + " ms, valid "
                + issued.expiresInSeconds() + " s); probes as issued-token use it throughout");
        return tokens;
    }

    /**
     * Keeps the issued token fresh as a client caching its token would (tenant tokens live 5
     * minutes; a 200,000-row drill lasts longer): every two minutes a new one replaces it, except
     * while the fault holds, so the token in use during the fault was issued before it. A failed
     * refresh keeps the token held.
     */
    private static java.util.concurrent.ScheduledExecutorService refreshIssuedToken(TokenClient tokens, Map<String, String> keys, Journal j) {
        java.util.concurrent.ScheduledExecutorService ses = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "chaos-token-refresh");
            t.setDaemon(true);
            return t;
        });
        ses.scheduleWithFixedDelay(() -> {
            if (j.measures.faultInjectedAt != null && j.measures.faultRolledBackAt == null) {
                return; // the fault holds: the token issued before it stays in use
            }
            TokenClient.Result token = tokens.fetch(Duration.ofSeconds(5));
            if (token.ok()) {
                keys.put("issued-token", token.bearer());
                j.event("token-refreshed", tokens.clientId() + " got a new token (valid " + token.expiresInSeconds() + " s)");
            }
        }, 120, 120, TimeUnit.SECONDS);
        return ses;
    }

    /**
     * After the rollback: a new token from Keycloak, accepted by the gateway (datasets of the
     * tenant answered 200 to it). Journals {@code fresh-token-accepted} with how long after the
     * rollback, or {@code fresh-token-refused} with the last failure when none came within
     * {@code limit}.
     */
    private static void freshTokenAfterRollback(TokenClient tokens, Api api, Duration limit, Journal j) throws InterruptedException {
        long deadline = System.currentTimeMillis() + limit.toMillis();
        String last = "not tried";
        while (System.currentTimeMillis() < deadline) {
            TokenClient.Result token = tokens.fetch(Duration.ofSeconds(5));
            if (token.ok()) {
                Api.Response r = api.send(null, "GET", "/api/v1/ingest/datasets?limit=1", token.bearer(), null, Map.of(), Duration.ofSeconds(10));
                if (r.status() == 200) {
                    j.event("fresh-token-accepted", tokens.clientId() + " got a new token " + (j.now() - j.measures.faultRolledBackAt)
                            + " ms after the rollback (in " + token.latencyMs() + " ms); the gateway answered 200 to it");
                    return;
                }
                last = "the gateway answered " + r.status() + " " + r.code() + " to a new token";
            } else {
                last = token.error();
            }
            Thread.sleep(500); // Keycloak continuing after its pause
        }
        j.event("fresh-token-refused", "no new token accepted within " + limit + " of the rollback: " + last);
    }

    /** Waits for the trigger, injects, holds, rolls back. True when the drill was aborted. */
    private boolean fault(Scenario s, Journal j, Api api, Map<String, String> keys, Prober prober,
            Map<String, CompletableFuture<Long>> events, long drillStart) throws Exception {
        Scenario.Fault f = s.fault();
        Duration limit = s.abort().drillLimit();
        if (f.trigger() != null && f.trigger().on() != null) {
            CompletableFuture<Long> trigger = events.computeIfAbsent(f.trigger().on(), k -> new CompletableFuture<>());
            try {
                trigger.get(limit.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                j.reasons.add("the trigger '" + f.trigger().on() + "' never fired");
                return true;
            }
        }
        if (f.trigger() != null) {
            Thread.sleep(f.trigger().after().toMillis()); // the scenario's delay after its trigger
        }
        if ("flood".equals(f.action())) {
            Flood flood = new Flood(api, j, f.flood(), keys.get("flooder"), keys.get("tenant"));
            j.flood = flood.run(f.lasting(), () -> j.measures.faultInjectedAt = j.now());
            j.measures.faultRolledBackAt = j.now();
            j.event("rollback", "flood stopped");
            return false;
        }
        if ("poison".equals(f.action())) {
            j.measures.faultInjectedAt = j.now();
            j.poison = new Poison(api, j, keys.get("poisoner")).run(Long.toString(drillStart % 1_000_000, 36).toUpperCase());
            j.measures.faultRolledBackAt = j.now();
            j.event("rollback", "poisoned uploads done");
            return false;
        }
        long injecting = j.now(); // the fault starts with its injection (a SIGTERM takes a while to finish)
        Target.Injected injected;
        try {
            injected = target.inject(f, j);
        } catch (Exception e) {
            // Nothing was injected (or the target says so): no verdict on the platform, but the workload and probes end normally.
            j.event("abort", "the fault could not be injected: " + e.getMessage());
            j.reasons.add("aborted: the fault could not be injected: " + e.getMessage());
            return true;
        }
        j.measures.faultInjectedAt = injecting;
        j.measures.faultActiveAt = j.now();
        boolean aborted = false;
        try {
            long until = System.currentTimeMillis() + f.lasting().toMillis();
            while (System.currentTimeMillis() < until) {
                String why = abortReason(s, j, drillStart);
                if (why != null) {
                    j.event("abort", why);
                    j.reasons.add("aborted: " + why);
                    aborted = true;
                    break;
                }
                Thread.sleep(200); // holding the fault for its duration
            }
        } finally {
            // The fault ends when its rollback starts; a restarted service then takes its own time to be ready.
            j.measures.faultRolledBackAt = j.now();
            injected.rollback();
        }
        return aborted;
    }

    /** A probe failing without a break for longer than the threshold, or the drill over its time. */
    static String abortReason(Scenario s, Journal j, long drillStart) {
        if (System.currentTimeMillis() - drillStart > s.abort().drillLimit().toMillis()) {
            return "the drill ran over " + s.abort().drillLimit();
        }
        long limit = s.abort().probeFailureLimit().toMillis();
        long now = j.now();
        Map<String, Long> failingSince = new LinkedHashMap<>();
        synchronized (j.samples) {
            for (Journal.Sample sample : j.samples) {
                if (sample.ok) {
                    failingSince.remove(sample.probe);
                } else {
                    failingSince.putIfAbsent(sample.probe, sample.t);
                }
            }
        }
        for (var e : failingSince.entrySet()) {
            if (now - e.getValue() > limit) {
                return "probe " + e.getKey() + " failing for " + (now - e.getValue()) / 1000 + " s (abort threshold " + limit / 1000 + " s)";
            }
        }
        return null;
    }

    private void awaitRecovery(Scenario s, Journal j, Prober prober) throws InterruptedException {
        boolean ready = target.awaitReady(s.recovery().limit());
        if (!ready) {
            j.reasons.add("services not ready within " + s.recovery().limit() + " of the rollback");
        }
        Instant deadline = Instant.now().plus(s.recovery().limit());
        // Recovered once the continuous probes have passed for a few rounds after the rollback.
        while (Instant.now().isBefore(deadline)) {
            Long since = Verdicts.allOkSince(j, j.measures.faultRolledBackAt == null ? 0 : j.measures.faultRolledBackAt);
            if (since != null && j.now() - since >= 3 * s.probeEvery().toMillis()) {
                j.event("recovered", "every probe passes");
                return;
            }
            Thread.sleep(s.probeEvery().toMillis());
        }
        j.event("not-recovered", "probes still failing after " + s.recovery().limit());
    }

    /** Onboards drill tenants and makes their keys with the bootstrap administrator's key. */
    static final class Tenants {
        private final Api api;
        private final String adminKey;
        private final List<String> onboarded = new ArrayList<>();

        Tenants(Api api, String adminKey) {
            this.api = api;
            this.adminKey = adminKey;
        }

        String key(String tenant, String role) {
            if (!onboarded.contains(tenant)) {
                Api.Response r = retry(() -> api.send(null, "POST", "/api/v1/policy/tenants", adminKey,
                        Map.of("id", tenant, "displayName", "Chaos drill " + tenant), Map.of(), Duration.ofSeconds(10)));
                if (r.status() != 201 && r.status() != 409) {
                    throw new IllegalStateException("Onboarding " + tenant + " answered " + r.status() + " " + r.body());
                }
                onboarded.add(tenant);
            }
            Api.Response k = retry(() -> api.send(null, "POST", "/api/v1/policy/tenants/" + tenant + "/api-keys", adminKey,
                    Map.of("name", "chaos-" + role, "roles", List.of(role), "scopes", List.of()), Map.of(), Duration.ofSeconds(10)));
            if (k.status() != 201) {
                throw new IllegalStateException("A " + role + " key for " + tenant + " answered " + k.status() + " " + k.body());
            }
            return k.json().path("key").asText();
        }

        static Api.Response retry(java.util.function.Supplier<Api.Response> call) {
            Api.Response r = call.get();
            for (int i = 0; i < 30 && r.transientFailure(); i++) {
                try {
                    Thread.sleep(1000); // the stack may still be settling after the sweep
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                r = call.get();
            }
            return r;
        }
    }
}
