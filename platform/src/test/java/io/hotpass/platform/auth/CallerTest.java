package io.hotpass.platform.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hotpass.platform.problem.ProblemException;
import io.hotpass.platform.testing.TestTokens;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

/**
 * {@link Caller#of} reads the custom claims from the verified token's payload; these tokens are
 * signed with the test key and verified by SmallRye, and every answer is compared with what
 * SmallRye's own {@code getClaim} says about the same token.
 */
class CallerTest {

    private final DefaultJWTParser parser;

    CallerTest() throws Exception {
        parser = new DefaultJWTParser(VerifiedTokenCacheTest.settings(InternalToken.ISSUER));
    }

    @Test
    void theCallerIsWhatTheTokensClaimsSay() throws Exception {
        JsonWebToken jwt = parser.parse(TestTokens.token("user-7", "acme", Set.of("steward", "viewer"),
                new LinkedHashSet<>(List.of("datasets:read", "datasets:write"))));
        Caller caller = Caller.of(jwt);
        assertEquals(new Caller("user-7", "acme", Set.of("steward", "viewer"), Set.of("datasets:read", "datasets:write")),
                caller);
        assertEquals(fromGetClaim(jwt), caller);
    }

    @Test
    void aTokenWithoutScopesHasNone() throws Exception {
        JsonWebToken jwt = parser.parse(TestTokens.token("svc", "platform", Set.of("hotpass-service"), Set.of()));
        assertEquals(Set.of(), Caller.of(jwt).scopes());
        assertEquals(fromGetClaim(jwt), Caller.of(jwt));
    }

    @Test
    void scopesSeparatedByRunsOfWhitespaceAreSplit() throws Exception {
        JsonWebToken jwt = parser.parse(TestTokens.sign(TestTokens.builder("u", "acme", Set.of("viewer"), Set.of())
                .claim(InternalToken.CLAIM_SCOPE, "  a   b\tc ")));
        assertEquals(Set.of("a", "b", "c"), Caller.of(jwt).scopes());
        assertEquals(fromGetClaim(jwt), Caller.of(jwt));
    }

    @Test
    void aTokenNamingNoTenantIsNoCredential() throws Exception {
        JsonWebToken jwt = parser.parse(TestTokens.token("u", null, Set.of("viewer"), Set.of()));
        ProblemException e = assertThrows(ProblemException.class, () -> Caller.of(jwt));
        assertEquals(401, e.status());
    }

    @Test
    void aTokenObjectWithoutARawTokenIsReadThroughItsClaims() throws Exception {
        JsonWebToken parsed = parser.parse(TestTokens.token("user-7", "acme", Set.of("viewer"), Set.of("x")));
        JsonWebToken noRaw = new JsonWebToken() {
            @Override
            public String getName() {
                return parsed.getName();
            }

            @Override
            public Set<String> getClaimNames() {
                return parsed.getClaimNames();
            }

            @Override
            public <T> T getClaim(String claimName) {
                return claimName.equals("raw_token") ? null : parsed.getClaim(claimName);
            }
        };
        assertEquals(fromGetClaim(parsed), Caller.of(noRaw));
    }

    /** The caller as the earlier code read it: every claim through {@code getClaim}. */
    private static Caller fromGetClaim(JsonWebToken jwt) {
        String tenant = jwt.getClaim(InternalToken.CLAIM_TENANT).toString().replace("\"", "");
        Object scope = jwt.getClaim(InternalToken.CLAIM_SCOPE);
        Set<String> scopes = new LinkedHashSet<>();
        if (scope != null) {
            for (String s : scope.toString().replace("\"", "").split("\\s+")) {
                if (!s.isBlank()) {
                    scopes.add(s);
                }
            }
        }
        return new Caller(jwt.getSubject(), tenant, jwt.getGroups(), scopes);
    }
}
