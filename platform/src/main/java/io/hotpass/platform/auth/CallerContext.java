package io.hotpass.platform.auth;

import io.hotpass.platform.problem.ErrorCode;
import io.hotpass.platform.problem.ProblemException;
import io.hotpass.platform.tenancy.TenantId;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Gives request code the {@link Caller} parsed once from the verified internal JWT. A request
 * without one never reaches resources (they require authentication), so a missing caller here is
 * a programming error surfaced as 401 rather than a silent anonymous tenant.
 */
@RequestScoped
public class CallerContext {

    @Inject
    JsonWebToken jwt;

    private Caller caller;

    public Caller caller() {
        if (caller == null) {
            if (jwt == null || jwt.getRawToken() == null) {
                throw new ProblemException(ErrorCode.UNAUTHENTICATED, "A valid credential is required");
            }
            String tenant = jwt.getClaim(InternalToken.CLAIM_TENANT);
            if (tenant == null || tenant.isBlank()) {
                throw new ProblemException(ErrorCode.UNAUTHENTICATED, "The credential names no tenant");
            }
            Object scope = jwt.getClaim(InternalToken.CLAIM_SCOPE);
            Set<String> scopes = new LinkedHashSet<>();
            if (scope != null) {
                String s = scope.toString().replace("\"", "");
                Arrays.stream(s.split("\\s+")).filter(x -> !x.isBlank()).forEach(scopes::add);
            }
            caller = new Caller(jwt.getSubject(), TenantId.parse(tenant).value(), jwt.getGroups(), scopes);
        }
        return caller;
    }

    public String tenant() {
        return caller().tenant();
    }

    public String subject() {
        return caller().subject();
    }
}
