package io.hotpass.policy.keycloak;

import io.hotpass.platform.problem.ProblemException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.keycloak.OAuth2Constants;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.keycloak.admin.client.resource.ClientResource;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/**
 * Onboards a tenant into the one {@code hotpass} realm, the way {@code k8s/keycloak/realm-hotpass.json}
 * models the demo tenants, so that its machines and people get tokens carrying {@code tenant}:
 *
 * <ul>
 *   <li>a confidential client {@code tenant-<id>} for the tenant's systems (client credentials only),
 *       with a hardcoded-claim mapper {@code tenant=<id>}, an audience mapper for the gateway, and
 *       its service account given the machine role;</li>
 *   <li>a group {@code /tenants/<id>} with the attribute {@code tenant=<id>} (the console client
 *       maps it into people's tokens) and one subgroup per tenant role: {@code admins},
 *       {@code stewards}, {@code viewers}, {@code auditors}.</li>
 * </ul>
 *
 * Every step looks before it creates, so onboarding is idempotent and a retry after a partial
 * failure finishes the job. Keycloak unreachable or refusing is 503 {@code keycloak_unavailable}:
 * the caller retries; nothing is half-recorded in policy-service.
 */
@ApplicationScoped
public class KeycloakOnboarding {

    private static final Logger LOG = Logger.getLogger(KeycloakOnboarding.class);

    /** Subgroup of /tenants/<id> → the realm role its members hold. */
    static final Map<String, String> ROLE_GROUPS = Map.of("admins", "tenant-admin", "stewards", "steward",
            "viewers", "viewer", "auditors", "auditor");

    public record Onboarded(String clientId, String group) {
    }

    @Inject
    KeycloakSettings settings;

    private volatile Keycloak keycloak;

    public boolean enabled() {
        return settings.enabled();
    }

    public Onboarded onboard(String tenant) {
        try {
            RealmResource realm = admin().realm(settings.realm());
            String clientId = "tenant-" + tenant;
            String clientUuid = ensureClient(realm, tenant, clientId);
            ensureMachineRole(realm, clientUuid);
            String group = ensureGroups(realm, tenant);
            LOG.infof("Tenant %s onboarded in Keycloak realm %s: client %s, group %s", tenant, settings.realm(), clientId,
                    group);
            return new Onboarded(clientId, group);
        } catch (ProcessingException | WebApplicationException | IllegalStateException e) {
            LOG.warnf("Keycloak onboarding of tenant %s failed: %s", tenant, e.getMessage());
            throw unavailable("Keycloak could not onboard the tenant (" + e.getClass().getSimpleName()
                    + "); nothing was recorded, retry the request");
        }
    }

    /** A new secret for the tenant's machine client, shown once. */
    public String rotateSecret(String tenant) {
        try {
            RealmResource realm = admin().realm(settings.realm());
            List<ClientRepresentation> found = realm.clients().findByClientId("tenant-" + tenant);
            if (found.isEmpty()) {
                throw ProblemException.notFound("keycloak_client_not_found", "Tenant " + tenant
                        + " has no Keycloak client; onboard it again");
            }
            return realm.clients().get(found.get(0).getId()).generateNewSecret().getValue();
        } catch (ProcessingException | WebApplicationException e) {
            throw unavailable("Keycloak could not rotate the secret; retry");
        }
    }

    private String ensureClient(RealmResource realm, String tenant, String clientId) {
        List<ClientRepresentation> found = realm.clients().findByClientId(clientId);
        String uuid;
        if (found.isEmpty()) {
            ClientRepresentation c = new ClientRepresentation();
            c.setClientId(clientId);
            c.setName("Tenant system of " + tenant);
            c.setDescription("Client credentials for " + tenant + "'s systems; every token carries tenant=" + tenant + ".");
            c.setEnabled(true);
            c.setProtocol("openid-connect");
            c.setPublicClient(false);
            c.setClientAuthenticatorType("client-secret");
            c.setStandardFlowEnabled(false);
            c.setImplicitFlowEnabled(false);
            c.setDirectAccessGrantsEnabled(false);
            c.setServiceAccountsEnabled(true);
            c.setAttributes(Map.of("access.token.lifespan", "300", "client_credentials.use_refresh_token", "false"));
            try (Response r = realm.clients().create(c)) {
                if (r.getStatus() != 201 && r.getStatus() != 409) { // 409: a concurrent onboarding won
                    throw new IllegalStateException("creating client " + clientId + " answered " + r.getStatus());
                }
            }
            uuid = realm.clients().findByClientId(clientId).get(0).getId();
        } else {
            uuid = found.get(0).getId();
        }
        ClientResource client = realm.clients().get(uuid);
        List<String> mappers = client.getProtocolMappers().getMappers().stream().map(ProtocolMapperRepresentation::getName)
                .toList();
        if (!mappers.contains("tenant")) {
            client.getProtocolMappers().createMapper(mapper("tenant", "oidc-hardcoded-claim-mapper", Map.of(
                    "access.token.claim", "true", "id.token.claim", "true", "userinfo.token.claim", "true",
                    "introspection.token.claim", "true", "claim.name", "tenant", "claim.value", tenant,
                    "jsonType.label", "String"))).close();
        }
        String audienceMapper = "audience " + settings.audience();
        if (!mappers.contains(audienceMapper)) {
            client.getProtocolMappers().createMapper(mapper(audienceMapper, "oidc-audience-mapper", Map.of(
                    "included.custom.audience", settings.audience(), "access.token.claim", "true",
                    "id.token.claim", "false", "introspection.token.claim", "true"))).close();
        }
        return uuid;
    }

    private void ensureMachineRole(RealmResource realm, String clientUuid) {
        UserRepresentation account = realm.clients().get(clientUuid).getServiceAccountUser();
        var roles = realm.users().get(account.getId()).roles().realmLevel();
        boolean has = roles.listEffective().stream().anyMatch(r -> r.getName().equals(settings.machineRole()));
        if (!has) {
            RoleRepresentation role = realm.roles().get(settings.machineRole()).toRepresentation();
            roles.add(List.of(role));
        }
    }

    private String ensureGroups(RealmResource realm, String tenant) {
        GroupRepresentation tenants = topGroup(realm, "tenants");
        GroupRepresentation group = child(realm, tenants, tenant);
        if (group == null) {
            GroupRepresentation g = new GroupRepresentation();
            g.setName(tenant);
            g.setAttributes(Map.of("tenant", List.of(tenant)));
            realm.groups().group(tenants.getId()).subGroup(g).close();
            group = child(realm, tenants, tenant);
            if (group == null) {
                throw new IllegalStateException("group /tenants/" + tenant + " was not created");
            }
        }
        for (Map.Entry<String, String> e : ROLE_GROUPS.entrySet()) {
            GroupRepresentation sub = child(realm, group, e.getKey());
            if (sub == null) {
                GroupRepresentation g = new GroupRepresentation();
                g.setName(e.getKey());
                realm.groups().group(group.getId()).subGroup(g).close();
                sub = child(realm, group, e.getKey());
                if (sub == null) {
                    throw new IllegalStateException("group /tenants/" + tenant + "/" + e.getKey() + " was not created");
                }
            }
            var roles = realm.groups().group(sub.getId()).roles().realmLevel();
            if (roles.listAll().stream().noneMatch(r -> r.getName().equals(e.getValue()))) {
                roles.add(List.of(realm.roles().get(e.getValue()).toRepresentation()));
            }
        }
        return "/tenants/" + tenant;
    }

    private static GroupRepresentation topGroup(RealmResource realm, String name) {
        for (GroupRepresentation g : realm.groups().groups(name, true, 0, 10, true)) {
            if (g.getName().equals(name)) {
                return g;
            }
        }
        GroupRepresentation g = new GroupRepresentation();
        g.setName(name);
        realm.groups().add(g).close();
        for (GroupRepresentation created : realm.groups().groups(name, true, 0, 10, true)) {
            if (created.getName().equals(name)) {
                return created;
            }
        }
        throw new IllegalStateException("group /" + name + " was not created");
    }

    private static GroupRepresentation child(RealmResource realm, GroupRepresentation parent, String name) {
        List<GroupRepresentation> children = new ArrayList<>();
        int first = 0;
        List<GroupRepresentation> page;
        do {
            page = realm.groups().group(parent.getId()).getSubGroups(first, 100, true);
            children.addAll(page);
            first += 100;
        } while (page.size() == 100);
        return children.stream().filter(c -> c.getName().equals(name)).findFirst().orElse(null);
    }

    private static ProtocolMapperRepresentation mapper(String name, String type, Map<String, String> config) {
        ProtocolMapperRepresentation m = new ProtocolMapperRepresentation();
        m.setName(name);
        m.setProtocol("openid-connect");
        m.setProtocolMapper(type);
        m.setConfig(config);
        return m;
    }

    private Keycloak admin() {
        Keycloak k = keycloak;
        if (k == null) {
            synchronized (this) {
                if (keycloak == null) {
                    keycloak = KeycloakBuilder.builder()
                            .serverUrl(settings.serverUrl().orElseThrow(() -> new IllegalStateException(
                                    "hotpass.policy.keycloak.server-url is not set")))
                            .realm(settings.realm()).grantType(OAuth2Constants.CLIENT_CREDENTIALS)
                            .clientId(settings.clientId())
                            .clientSecret(settings.clientSecret().orElseThrow(() -> new IllegalStateException(
                                    "hotpass.policy.keycloak.client-secret is not set")))
                            .build();
                }
                k = keycloak;
            }
        }
        return k;
    }

    private static ProblemException unavailable(String detail) {
        return new ProblemException(503, "keycloak_unavailable", "Keycloak unavailable", detail).header("Retry-After", "5");
    }

    @PreDestroy
    void close() {
        if (keycloak != null) {
            keycloak.close();
        }
    }
}
