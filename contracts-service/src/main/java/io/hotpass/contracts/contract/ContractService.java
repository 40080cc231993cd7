package io.hotpass.contracts.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hotpass.contracts.spec.Compatibility;
import io.hotpass.contracts.spec.ContractDocument;
import io.hotpass.contracts.spec.ContractParser;
import io.hotpass.platform.auth.CallerContext;
import io.hotpass.platform.http.ETags;
import io.hotpass.platform.idempotency.IdempotentRequests;
import io.hotpass.platform.problem.ProblemException;
import io.hotpass.platform.tenancy.Tenanted;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The contract registry: versions, their lifecycle, and the compatibility rule between them. */
@ApplicationScoped
public class ContractService {

    public static final String DRAFT = "draft";
    public static final String ACTIVE = "active";
    public static final String DEPRECATED = "deprecated";

    @Inject
    CallerContext callerContext;

    @Inject
    ObjectMapper mapper;

    private final ContractParser parser = new ContractParser();

    public ContractParser parser() {
        return parser;
    }

    @Inject
    IdempotentRequests idempotency;

    /** Registers once per Idempotency-Key, in one transaction with the key's record. */
    @Transactional
    @Tenanted
    public Response registerOnce(String key, ObjectNode tree, String source, boolean yaml,
            java.util.function.Function<ContractVersion, Response> respond) {
        return idempotency.execute(key, callerContext.tenant(), "POST /contracts", tree,
                () -> respond.apply(register(tree, source, yaml)));
    }

    /** What {@code POST /contracts?dryRun=true} answers: the compatibility report, nothing saved. */
    @Transactional
    @Tenanted
    public CompatibilityReport dryRun(ObjectNode tree) {
        ContractDocument doc = parser.parse(tree);
        return compatibility(doc, activeByName(doc.name()));
    }

    public ContractVersion register(ObjectNode tree, String source, boolean yaml) {
        ContractDocument doc = parser.parse(tree);
        String tenant = callerContext.tenant();
        if (ContractVersion.count("tenantId = ?1 and name = ?2 and version = ?3", tenant, doc.name(), doc.version()) > 0) {
            throw new ProblemException(409, "contract_version_exists", "Contract version exists",
                    "Contract '" + doc.name() + "' already has version " + doc.version());
        }
        CompatibilityReport report = compatibility(doc, activeByName(doc.name()));
        if (!report.accepted()) {
            throw incompatible(report);
        }
        SemanticVersion v = SemanticVersion.parse("version", doc.version());
        ContractVersion c = new ContractVersion();
        c.id = UUID.randomUUID();
        c.tenantId = tenant;
        c.name = doc.name();
        c.version = v.toString();
        c.major = v.major();
        c.minor = v.minor();
        c.patch = v.patch();
        c.dataset = doc.dataset();
        c.owner = doc.owner();
        c.description = doc.description();
        c.state = DRAFT;
        c.spec = tree.toString();
        c.source = source;
        c.sourceFormat = yaml ? "yaml" : "json";
        c.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
        c.updatedAt = c.createdAt;
        c.createdBy = callerContext.subject();
        c.persist();
        return c;
    }

    /** Makes a version the active one of its contract; the previously active version becomes deprecated. */
    public ContractVersion activate(UUID id, String ifMatch) {
        ContractVersion c = lock(id);
        ETags.checkIfMatch(ifMatch, c.etag(), false);
        if (ACTIVE.equals(c.state)) {
            return c;
        }
        ContractVersion current = activeByName(c.name);
        if (current != null) {
            CompatibilityReport report = compatibility(document(c), current);
            if (!report.accepted()) {
                throw incompatible(report);
            }
        }
        ContractVersion other = activeForDataset(c.dataset);
        if (other != null && !other.name.equals(c.name)) {
            throw new ProblemException(409, "dataset_has_active_contract", "Dataset has an active contract",
                    "Dataset '" + c.dataset + "' is governed by contract '" + other.name + "' " + other.version
                            + "; deprecate it first").with("contract", other.id.toString());
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        if (current != null) {
            current.state = DEPRECATED;
            current.deprecatedAt = now;
            current.updatedAt = now;
            ContractVersion.getEntityManager().flush(); // one active per name: the old one steps down first
        }
        c.state = ACTIVE;
        c.activatedAt = now;
        c.deprecatedAt = null;
        c.updatedAt = now.plusNanos(1000);
        return c;
    }

    public ContractVersion deprecate(UUID id, String ifMatch) {
        ContractVersion c = lock(id);
        ETags.checkIfMatch(ifMatch, c.etag(), false);
        if (!DEPRECATED.equals(c.state)) {
            c.state = DEPRECATED;
            c.deprecatedAt = OffsetDateTime.now(ZoneOffset.UTC);
            c.updatedAt = c.deprecatedAt;
        }
        return c;
    }

    public ContractVersion get(UUID id) {
        ContractVersion c = ContractVersion.find("tenantId = ?1 and id = ?2", callerContext.tenant(), id).firstResult();
        if (c == null) {
            throw ProblemException.notFound("contract_not_found", "No contract version " + id);
        }
        return c;
    }

    private ContractVersion lock(UUID id) {
        ContractVersion c = ContractVersion.find("tenantId = ?1 and id = ?2", callerContext.tenant(), id)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
        if (c == null) {
            throw ProblemException.notFound("contract_not_found", "No contract version " + id);
        }
        return c;
    }

    public ContractVersion byNameAndVersion(String name, String version) {
        ContractVersion c = ContractVersion.find("tenantId = ?1 and name = ?2 and version = ?3", callerContext.tenant(),
                name, version).firstResult();
        if (c == null) {
            throw ProblemException.notFound("contract_not_found", "No version " + version + " of contract '" + name + "'");
        }
        return c;
    }

    public List<ContractVersion> versions(String name) {
        return ContractVersion.list("tenantId = ?1 and name = ?2 order by major desc, minor desc, patch desc",
                callerContext.tenant(), name);
    }

    /** Active versions of the tenant's contracts, by dataset name. */
    public List<ContractVersion> active() {
        return ContractVersion.list("tenantId = ?1 and state = ?2 order by dataset", callerContext.tenant(), ACTIVE);
    }

    public ContractVersion activeByName(String name) {
        return ContractVersion.find("tenantId = ?1 and name = ?2 and state = ?3", callerContext.tenant(), name, ACTIVE)
                .firstResult();
    }

    public ContractVersion activeForDataset(String dataset) {
        return ContractVersion.find("tenantId = ?1 and dataset = ?2 and state = ?3", callerContext.tenant(), dataset, ACTIVE)
                .firstResult();
    }

    public ContractDocument document(ContractVersion c) {
        try {
            return parser.parse((ObjectNode) mapper.readTree(c.spec));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored contract spec is not JSON", e);
        }
    }

    CompatibilityReport compatibility(ContractDocument doc, ContractVersion active) {
        if (active == null || active.version.equals(doc.version())) {
            return new CompatibilityReport(doc.name(), doc.version(), null, false, true, List.of());
        }
        List<Compatibility.Break> breaks = Compatibility.check(document(active), doc);
        boolean bump = Compatibility.majorBump(active.version, doc.version());
        return new CompatibilityReport(doc.name(), doc.version(), active.version, bump, breaks.isEmpty() || bump, breaks);
    }

    private static ProblemException incompatible(CompatibilityReport r) {
        return new ProblemException(409, "incompatible_change", "Incompatible change",
                r.breaks().size() + " breaking change(s) against active version " + r.comparedWith()
                        + " of '" + r.name() + "' without a major version bump")
                .with("breaks", r.breaks().stream().map(b -> Map.of("kind", b.kind(), "field", b.field(), "detail", b.detail()))
                        .toList())
                .with("comparedWith", r.comparedWith());
    }

    public ContractView view(ContractVersion c) {
        try {
            String base = "/contracts/" + c.name + "/versions/" + c.version;
            return new ContractView(c.id, c.name, c.version, c.dataset, c.owner, c.description, c.state,
                    mapper.readTree(c.spec), c.createdAt, c.createdBy, c.activatedAt, c.deprecatedAt,
                    new ContractView.Links("/contracts/" + c.id, base + "/schema.json", base + "/schema.avsc"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored contract spec is not JSON", e);
        }
    }
}
