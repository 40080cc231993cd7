package io.hotpass.policy.apikey;

import io.hotpass.platform.tenancy.TenantSession;
import io.hotpass.policy.decision.KnownRoles;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Makes the configured bootstrap keys exist at every start, idempotently (several replicas may
 * start at once): tenant {@code platform}, the admin key with {@code platform-admin} and the
 * service key with {@code hotpass-service}. A key id already stored with another hash means the
 * operator rotated the secret, and the stored hash is replaced.
 */
@ApplicationScoped
public class ApiKeyBootstrap {

    public static final String PLATFORM_TENANT = "platform";
    private static final Logger LOG = Logger.getLogger(ApiKeyBootstrap.class);

    @Inject
    BootstrapConfig config;

    @Inject
    ApiKeyRepository repository;

    @Inject
    TenantSession tenantSession;

    /** After platform's DatabaseBootstrap (priority 10) has migrated the database. */
    void onStart(@Observes @Priority(20) StartupEvent event) {
        ensure(config.adminKey(), config.serviceKey());
    }

    @Transactional
    public void ensure(Optional<String> adminKey, Optional<String> serviceKey) {
        if (adminKey.isEmpty() && serviceKey.isEmpty()) {
            return;
        }
        repository.ensureTenant(PLATFORM_TENANT, "Hotpass platform", "bootstrap");
        tenantSession.apply(PLATFORM_TENANT);
        adminKey.ifPresent(k -> ensureKey(k, "hotpass.policy.bootstrap.admin-key", "bootstrap-admin",
                KnownRoles.PLATFORM_ADMIN));
        serviceKey.ifPresent(k -> ensureKey(k, "hotpass.policy.bootstrap.service-key", "bootstrap-service",
                KnownRoles.HOTPASS_SERVICE));
    }

    private void ensureKey(String value, String property, String name, String role) {
        // The message names the property, never the value: it is a secret.
        PlaintextApiKey key = PlaintextApiKey.parse(value.strip()).orElseThrow(() -> new IllegalStateException(
                property + " is not an API key of the form hp_<12 of [a-z0-9]>_<32 of [A-Za-z0-9]>"));
        repository.upsertConfigured(key.keyId(), PLATFORM_TENANT, name, key.secretSha256(), List.of(role), "bootstrap");
        LOG.infof("Bootstrap API key %s (%s) is in place", key, name);
    }
}
