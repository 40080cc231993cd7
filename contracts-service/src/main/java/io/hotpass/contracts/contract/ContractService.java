package io.hotpass.contracts.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotpass.platform.auth.CallerContext;
import io.hotpass.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/** The contract registry: stores versions as drafts and reads them back. */
@ApplicationScoped
public class ContractService {

    @Inject
    CallerContext callerContext;

    @Inject
    ObjectMapper mapper;

    public ContractVersion register(RegisterContractRequest req) {
        SemanticVersion v = SemanticVersion.parse("version", req.version());
        String tenant = callerContext.tenant();
        if (ContractVersion.count("tenantId = ?1 and name = ?2 and version = ?3", tenant, req.name(), v.toString()) > 0) {
            throw new ProblemException(409, "contract_version_exists", "Contract version exists",
                    "Contract '" + req.name() + "' already has version " + v);
        }
        ContractVersion c = new ContractVersion();
        c.id = UUID.randomUUID();
        c.tenantId = tenant;
        c.name = req.name();
        c.version = v.toString();
        c.major = v.major();
        c.minor = v.minor();
        c.patch = v.patch();
        c.dataset = req.dataset();
        c.owner = req.owner();
        c.description = req.description();
        c.state = "draft";
        c.spec = req.spec().toString();
        c.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
        c.createdBy = callerContext.subject();
        c.persist();
        return c;
    }

    public ContractVersion get(UUID id) {
        ContractVersion c = ContractVersion.find("tenantId = ?1 and id = ?2", callerContext.tenant(), id).firstResult();
        if (c == null) {
            throw ProblemException.notFound("contract_not_found", "No contract version " + id);
        }
        return c;
    }

    public List<ContractVersion> versions(String name) {
        return ContractVersion.list("tenantId = ?1 and name = ?2 order by major desc, minor desc, patch desc",
                callerContext.tenant(), name);
    }

    public ContractView view(ContractVersion c) {
        try {
            return new ContractView(c.id, c.name, c.version, c.dataset, c.owner, c.description, c.state,
                    mapper.readTree(c.spec), c.createdAt, c.createdBy);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored contract spec is not JSON", e);
        }
    }
}
