package io.hotpass.policy.apikey;

import io.hotpass.platform.auth.Caller;
import io.hotpass.platform.problem.ErrorCode;
import io.hotpass.platform.problem.ProblemException;
import io.hotpass.platform.tenancy.TenantId;
import io.hotpass.platform.tenancy.TenantSession;
import io.hotpass.policy.decision.KnownRoles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Issues, lists, revokes and verifies tenant API keys. Administration is for platform
 * administrators and the tenant's own {@code tenant-admin}s; verification is the gateway's fast path
 * and answers the same {@code invalid_api_key} for every kind of failure, so it is no oracle.
 */
@ApplicationScoped
public class ApiKeyService {

    /** A freshly issued key: the stored record and the plaintext to show once. */
    public record IssuedApiKey(ApiKey key, PlaintextApiKey plaintext) {
    }

    public static final int DEFAULT_PAGE = 50;
    public static final int MAX_PAGE = 200;
    private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);
    private static final Pattern KEY_ID = Pattern.compile("[a-z0-9]{12}");
    /** Compared against when there is no stored hash, so an unknown key costs what a wrong one does. */
    private static final byte[] NO_HASH = "0".repeat(64).getBytes(StandardCharsets.US_ASCII);

    @Inject
    ApiKeyRepository repository;

    @Inject
    TenantSession tenantSession;

    private final SecureRandom random = new SecureRandom();

    /**
     * Lets the caller administer the keys of {@code tenant} and puts the transaction under that
     * tenant. Another tenant answers 404 exactly like a missing one, so existence does not leak.
     */
    public void authorizeAdministration(Caller caller, String tenant) {
        boolean own = caller.tenant().equals(tenant);
        if (!caller.isPlatformAdmin() && !own) {
            throw tenantNotFound(tenant);
        }
        if (!TenantId.isValid(tenant) || !repository.tenantExists(tenant)) {
            throw tenantNotFound(tenant);
        }
        if (!caller.isPlatformAdmin() && !caller.hasRole(KnownRoles.TENANT_ADMIN)) {
            throw new ProblemException(ErrorCode.FORBIDDEN, "Managing API keys needs the tenant-admin role");
        }
        tenantSession.apply(tenant);
    }

    /** Issues a key; call after {@link #authorizeAdministration} in the same transaction. */
    public IssuedApiKey create(Caller caller, String tenant, CreateApiKeyRequest request) {
        List<String> roles = distinct(request.roles());
        List<Map<String, String>> unknown = new ArrayList<>();
        for (int i = 0; i < request.roles().size(); i++) {
            if (!KnownRoles.isKnown(request.roles().get(i))) {
                unknown.add(Map.of("field", "roles[" + i + "]", "reason", "unknown role"));
            }
        }
        if (!unknown.isEmpty()) {
            throw new ProblemException(422, "unknown_role", "Unknown role",
                    "Roles must be among " + String.join(", ", KnownRoles.ALL.stream().sorted().toList()))
                    .with("errors", unknown);
        }
        if (!caller.isPlatformAdmin() && roles.stream().anyMatch(KnownRoles::isPlatformRole)) {
            // Otherwise a tenant administrator could mint a key that acts across tenants.
            throw new ProblemException(ErrorCode.FORBIDDEN, "Only platform administrators may grant platform roles");
        }
        if (request.expiresAt() != null && !request.expiresAt().isAfter(Instant.now())) {
            throw ProblemException.badRequest("expiresAt", "must be in the future");
        }
        for (int attempt = 0; attempt < 5; attempt++) {
            PlaintextApiKey plaintext = PlaintextApiKey.generate(random);
            Optional<ApiKey> key = repository.insert(plaintext.keyId(), tenant, request.name().strip(),
                    plaintext.secretSha256(), roles, distinct(request.scopes()), caller.subject(), request.expiresAt());
            if (key.isPresent()) {
                return new IssuedApiKey(key.get(), plaintext);
            }
        }
        throw new IllegalStateException("No free API key id after 5 draws");
    }

    public ApiKeyPage list(String tenant, Integer limit, String cursor) {
        int size = limit == null ? DEFAULT_PAGE : limit;
        if (size < 1 || size > MAX_PAGE) {
            throw ProblemException.badRequest("limit", "must be between 1 and " + MAX_PAGE);
        }
        if (cursor != null && !KEY_ID.matcher(cursor).matches()) {
            throw ProblemException.badRequest("cursor", "is not a cursor this endpoint returned");
        }
        List<ApiKey> keys = repository.list(tenant, cursor, size + 1);
        boolean more = keys.size() > size;
        List<ApiKeyView> items = keys.stream().limit(size).map(ApiKeyView::of).toList();
        return new ApiKeyPage(items, more ? items.get(items.size() - 1).id() : null);
    }

    public ApiKey get(String tenant, String keyId) {
        return repository.find(tenant, keyId).orElseThrow(() -> keyNotFound(keyId));
    }

    public void revoke(String tenant, String keyId) {
        if (!repository.revoke(tenant, keyId)) {
            throw keyNotFound(keyId);
        }
    }

    /**
     * Answers who a presented key stands for. Unknown, malformed, wrong, revoked and expired keys,
     * and keys of a suspended tenant, all fail the same way.
     */
    @Transactional
    public VerifiedApiKey verify(String presented) {
        Optional<PlaintextApiKey> parsed = PlaintextApiKey.parse(presented);
        Optional<ApiKeyRepository.StoredCredential> stored = parsed.flatMap(k -> repository.lookup(k.keyId()));
        byte[] expected = stored.map(s -> s.secretSha256().getBytes(StandardCharsets.US_ASCII)).orElse(NO_HASH);
        byte[] actual = parsed.map(k -> k.secretSha256().getBytes(StandardCharsets.US_ASCII)).orElse(NO_HASH);
        boolean hashMatches = MessageDigest.isEqual(expected, actual); // constant time in the hash bytes
        if (stored.isEmpty() || !hashMatches) {
            throw invalidKey();
        }
        ApiKeyRepository.StoredCredential key = stored.get();
        Instant now = Instant.now();
        if (key.revokedAt() != null || (key.expiresAt() != null && !now.isBefore(key.expiresAt()))
                || !"active".equals(key.tenantStatus())) {
            throw invalidKey();
        }
        if (key.lastUsedAt() == null || key.lastUsedAt().isBefore(now.minus(TOUCH_INTERVAL))) {
            tenantSession.apply(key.tenant());
            repository.touch(key.keyId());
        }
        return new VerifiedApiKey(key.keyId(), key.tenant(), VerifiedApiKey.SUBJECT_PREFIX + key.keyId(), key.roles(),
                key.scopes(), key.expiresAt());
    }

    static ProblemException invalidKey() {
        return new ProblemException(401, "invalid_api_key", "Invalid API key", "The API key is not valid");
    }

    private static ProblemException tenantNotFound(String tenant) {
        return ProblemException.notFound("tenant_not_found", "No tenant " + (TenantId.isValid(tenant) ? tenant : ""));
    }

    private static ProblemException keyNotFound(String keyId) {
        return ProblemException.notFound("api_key_not_found",
                "No API key " + (KEY_ID.matcher(keyId).matches() ? keyId : "") + " in this tenant");
    }

    private static List<String> distinct(List<String> values) {
        return List.copyOf(new LinkedHashSet<>(values));
    }
}
