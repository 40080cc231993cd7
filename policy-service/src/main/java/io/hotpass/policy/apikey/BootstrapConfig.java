package io.hotpass.policy.apikey;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/**
 * {@code hotpass.policy.bootstrap.*}: API keys that must exist from the first start, given in full
 * ({@code hp_<id>_<secret>}) from the environment ({@code HOTPASS_BOOTSTRAP_ADMIN_KEY},
 * {@code HOTPASS_SERVICE_API_KEY}, the key services deliver their outbox with) or a Kubernetes Secret. Only their hashes are stored.
 */
@ConfigMapping(prefix = "hotpass.policy.bootstrap")
public interface BootstrapConfig {

    /** A key of tenant {@code platform} with the role {@code platform-admin}: the first administrator. */
    Optional<String> adminKey();

    /** A key of tenant {@code platform} with the role {@code hotpass-service}: the gateway's own credential. */
    Optional<String> serviceKey();
}
