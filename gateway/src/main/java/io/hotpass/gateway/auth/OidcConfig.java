package io.hotpass.gateway.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/** {@code hotpass.gateway.oidc.*}: the Keycloak realm whose bearer tokens the gateway accepts. */
@ConfigMapping(prefix = "hotpass.gateway.oidc")
public interface OidcConfig {

    @WithDefault("false")
    boolean enabled();

    /** Expected {@code iss}, e.g. {@code http://127.0.0.1:8180/realms/hotpass}. */
    Optional<String> issuer();

    /** JWKS location (URL or file); defaults to the issuer's {@code /protocol/openid-connect/certs}. */
    Optional<String> jwksLocation();

    /** Accepted audiences ({@code aud} or {@code azp}); empty accepts any audience of the realm. */
    Optional<List<String>> audiences();

    /** The claim naming the tenant (a hardcoded-claim mapper on tenant clients, a group attribute for people). */
    @WithDefault("tenant")
    String tenantClaim();

    /** Client whose {@code resource_access} roles are added to the realm roles. */
    Optional<String> clientId();

    /** The client the console signs people in with (authorization code + PKCE); defaults to {@link #clientId()}. */
    Optional<String> consoleClientId();

    /** Its secret, when the client is confidential (a public client with PKCE needs none). */
    Optional<String> consoleClientSecret();

    /** Defaults to the issuer's {@code /protocol/openid-connect/auth}. */
    Optional<String> authorizationEndpoint();

    /** Defaults to the issuer's {@code /protocol/openid-connect/token}. */
    Optional<String> tokenEndpoint();
}
