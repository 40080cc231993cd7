package io.hotpass.contracts.validation;

import io.hotpass.contracts.client.IngestClient;
import io.hotpass.contracts.engine.ExpectationResult;
import io.hotpass.contracts.engine.Hashing;
import io.hotpass.contracts.engine.LongHashSet;
import io.hotpass.contracts.engine.ReferenceSets;
import io.hotpass.contracts.engine.ValidationEngine;
import io.hotpass.contracts.engine.ValidationReport;
import io.hotpass.contracts.profile.ProfileStore;
import io.hotpass.contracts.profile.Profiler;
import io.hotpass.contracts.spec.ContractDocument;
import io.hotpass.contracts.spec.ExpectationSpec;
import io.hotpass.platform.problem.ProblemException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import io.hotpass.contracts.profile.ColumnProfile;
import java.time.Clock;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * Runs a validation: looks the dataset up at ingest-service, records the run, streams the
 * version's rows through the engine in one pass (no transaction open meanwhile), stores the result.
 */
@Startup // registers its metrics at start: the dashboard shows zero, not "no data"
@ApplicationScoped
public class ValidationService {

    private static final Logger LOG = Logger.getLogger(ValidationService.class);

    @Inject
    IngestClient ingest;

    @Inject
    ValidationStore store;

    @Inject
    JsonWebToken jwt;

    @Inject
    MeterRegistry metrics;

    @PostConstruct
    void registerMetrics() {
        for (String status : new String[] {"passed", "warned", "failed", "error"}) {
            metrics.counter("hotpass_validations_total", "status", status);
        }
        for (String status : new String[] {"passed", "warned", "failed"}) {
            metrics.counter("hotpass_validation_whatifs_total", "status", status);
        }
    }

    @Inject
    ProfileStore profiles;

    @ConfigProperty(name = "hotpass.contracts.validation.max-samples", defaultValue = "20")
    int maxSamples;

    Clock clock = Clock.systemUTC();

    public record Outcome(ValidationView view, boolean replayed) {
    }

    /**
     * {@code POST /validations}. Synchronous (default): the run is validated now, with the caller's
     * token, and answered when it has finished. Asynchronous ({@code "mode": "async"}): the dataset
     * and version are checked now, the run is recorded {@code queued} and a runner validates it
     * later with the service API key for the run's tenant ({@link ValidationExecutor}).
     */
    public Outcome validate(ValidateRequest req, String idemKey) {
        String token = jwt.getRawToken();
        IngestClient.Dataset ds = ingest.dataset(req.datasetId(), token);
        ingest.version(req.datasetId(), req.version(), token);
        ValidationStore.Start s = store.start(req.datasetId(), ds.name(), req.version(), idemKey, req.async());
        if (s.replayed()) {
            return new Outcome(store.view(s.run().id), true);
        }
        if (req.async()) {
            queued.fire(new Queued(s.run().id, token));
            return new Outcome(store.view(s.run().id), false);
        }
        try {
            Computed c = compute(req.datasetId(), req.version(), s.contract(), IngestClient.Credentials.bearer(token),
                    new AtomicLong());
            store.finish(s.run().id, c.report());
            profiles.save(s.run().id, req.datasetId(), ds.name(), req.version(), c.report().rowCount(), c.profiles(),
                    s.contract().drift());
            metrics.counter("hotpass_validations_total", "status", c.report().status()).increment();
        } catch (ProblemException e) {
            store.fail(s.run().id, e.code(), e.getMessage());
            metrics.counter("hotpass_validations_total", "status", "error").increment();
            throw e;
        } catch (RuntimeException e) {
            LOG.errorf(e, "Validation run %s broke off", s.run().id);
            store.fail(s.run().id, "upstream_unavailable", BROKE_OFF);
            metrics.counter("hotpass_validations_total", "status", "error").increment();
            throw new ProblemException(502, "upstream_unavailable", "Upstream unavailable",
                    "The rows of the dataset version could not be read to the end; the run is recorded as error");
        }
        return new Outcome(store.view(s.run().id), false);
    }

    static final String BROKE_OFF = "the row stream broke off or could not be read";

    /** Fired when an asynchronous run was queued (its transaction has committed): the dispatcher wakes. */
    public record Queued(UUID runId, String callerToken) {
    }

    @Inject
    jakarta.enterprise.event.Event<Queued> queued;

    /** A validation's report and the profiles of its columns. */
    public record Computed(ValidationReport report, List<ColumnProfile> profiles) {
    }

    /**
     * Streams the version's rows once through the engine (and the profiler) against {@code contract};
     * {@code rowsRead} counts the rows as they are read, for progress. No transaction is open meanwhile.
     */
    public Computed compute(UUID datasetId, int version, ContractDocument contract, IngestClient.Credentials creds,
            AtomicLong rowsRead) {
        ReferenceSets refs = references(contract, creds);
        Profiler profiler = new Profiler(contract);
        try (IngestClient.RowStream rows = ingest.rows(datasetId, version, creds)) {
            Iterator<Map<String, Object>> counted = new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return rows.hasNext();
                }

                @Override
                public Map<String, Object> next() {
                    Map<String, Object> row = rows.next();
                    rowsRead.incrementAndGet();
                    return row;
                }
            };
            ValidationReport report = new ValidationEngine(contract, maxSamples, clock, refs).run(profiler.observe(counted));
            return new Computed(report, profiler.profiles());
        }
    }

    /**
     * A what-if validation: the version's rows with the changes applied, streamed once through the
     * same engine against the contract that applies to the dataset. Nothing is stored: no run, no
     * profile, no drift check, no lineage event. 422 {@code no_active_contract} when no contract
     * applies.
     */
    public WhatIfView whatIf(WhatIfRequest req) {
        ChangesApplied changed = new ChangesApplied(req.changes()); // 400 before anything is read
        String token = jwt.getRawToken();
        IngestClient.Dataset ds = ingest.dataset(req.datasetId(), token);
        ingest.version(req.datasetId(), req.version(), token);
        ValidationStore.Applicable c = store.applicable(ds.name());
        ReferenceSets refs = references(c.document(), IngestClient.Credentials.bearer(token));
        ValidationReport report;
        try (IngestClient.RowStream rows = ingest.rows(req.datasetId(), req.version(), token)) {
            report = new ValidationEngine(c.document(), maxSamples, clock, refs).run(changed.to(rows));
        } catch (ProblemException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warnf(e, "What-if validation of dataset %s version %d broke off", req.datasetId(), req.version());
            throw new ProblemException(502, "upstream_unavailable", "Upstream unavailable",
                    "The rows of the dataset version could not be read to the end");
        }
        metrics.counter("hotpass_validation_whatifs_total", "status", report.status()).increment();
        List<String> errors = new java.util.ArrayList<>();
        List<String> warnings = new java.util.ArrayList<>();
        for (ExpectationResult r : report.expectations()) {
            if (!r.success()) {
                ("error".equals(r.severity()) ? errors : warnings).add(r.id());
            }
        }
        return new WhatIfView(req.datasetId(), ds.name(), req.version(), c.header(), report.status(), report.rowCount(),
                report.durationMillis(), ValidationView.Summary.of(report.expectations()), changed.applied(), errors,
                warnings, report.expectations());
    }

    /** Streams each referenced dataset's current version once and keeps the hashes of the referenced column. */
    private ReferenceSets references(ContractDocument c, IngestClient.Credentials token) {
        List<ExpectationSpec> refs = c.expectations().stream().filter(e -> "referential".equals(e.kind())).toList();
        if (refs.isEmpty()) {
            return null;
        }
        List<IngestClient.Dataset> all = ingest.datasets(token);
        Map<String, Optional<LongHashSet>> sets = new HashMap<>();
        for (ExpectationSpec e : refs) {
            sets.computeIfAbsent(e.refDataset() + "\u0000" + e.refColumn(), k -> all.stream()
                    .filter(d -> d.name().equals(e.refDataset())).findFirst()
                    .map(d -> hashes(d, e.refColumn(), token)));
        }
        return (dataset, column) -> sets.getOrDefault(dataset + "\u0000" + column, Optional.empty()).orElse(null);
    }

    private LongHashSet hashes(IngestClient.Dataset d, String column, IngestClient.Credentials token) {
        LongHashSet set = new LongHashSet();
        try (IngestClient.RowStream rows = ingest.rows(d.id(), d.currentVersion(), token)) {
            while (rows.hasNext()) {
                Object v = rows.next().get(column);
                if (v != null && !v.toString().isBlank()) {
                    set.add(Hashing.hash(v.toString()));
                }
            }
        }
        return set;
    }

    static UUID id(String s) {
        return UUID.fromString(s);
    }
}
