package io.hotpass.platform.auth;

import io.hotpass.platform.problem.ErrorCode;
import io.hotpass.platform.problem.ProblemException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
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
            caller = Caller.of(jwt);
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
