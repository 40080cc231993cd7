package io.hotpass.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/**
 * k8s/keycloak/realm-hotpass.json read with Keycloak's own representation classes, refusing fields
 * Keycloak does not know: the realm, its roles, a tenant-claim mapper on every client, and tenants as groups.
 */
class KeycloakRealmTest {

    static final ObjectMapper STRICT = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    static RealmRepresentation realm() throws IOException {
        return STRICT.readValue(Repository.read("k8s/keycloak/realm-hotpass.json"), RealmRepresentation.class);
    }

    @Test
    void theStrictReaderRefusesAMisspeltField() {
        String misspelt = Repository.read("k8s/keycloak/realm-hotpass.json").replace("\"sslRequired\"", "\"sslRequried\"");
        assertThrows(UnrecognizedPropertyException.class, () -> STRICT.readValue(misspelt, RealmRepresentation.class));
    }

    @Test
    void realmHasTheHotpassRoles() throws IOException {
        RealmRepresentation realm = realm();
        assertEquals("hotpass", realm.getRealm());
        assertTrue(realm.isEnabled());
        Set<String> roles = realm.getRoles().getRealm().stream().map(RoleRepresentation::getName).collect(Collectors.toSet());
        assertEquals(Set.of("tenant-admin", "steward", "viewer", "auditor", "platform-admin"), roles);
    }

    @Test
    void everyTenantClientStampsItsTenantAndTheGatewayAudience() throws IOException {
        List<ClientRepresentation> tenantClients = realm().getClients().stream().filter(c -> c.getClientId().startsWith("tenant-")).toList();
        assertTrue(tenantClients.size() >= 2, "a client per demo tenant");
        for (ClientRepresentation client : tenantClients) {
            String tenant = client.getClientId().substring("tenant-".length());
            ProtocolMapperRepresentation mapper = mapper(client, "oidc-hardcoded-claim-mapper");
            assertEquals("tenant", mapper.getConfig().get("claim.name"));
            assertEquals(tenant, mapper.getConfig().get("claim.value"));
            assertEquals("true", mapper.getConfig().get("access.token.claim"));
            assertEquals("hotpass-gateway", mapper(client, "oidc-audience-mapper").getConfig().get("included.custom.audience"));
            assertTrue(client.isServiceAccountsEnabled() && !client.isPublicClient() && !client.isStandardFlowEnabled(),
                    client.getClientId() + ": client credentials only");
            assertTrue(client.getSecret().matches("\\$\\{[A-Z_]+}"), client.getClientId() + ": the secret is an import placeholder, never a literal");
        }
    }

    @Test
    void peopleGetTheirTenantFromAnAttributeOfTheirTenantGroup() throws IOException {
        RealmRepresentation realm = realm();
        ClientRepresentation console = realm.getClients().stream().filter(c -> c.getClientId().equals("hotpass-console")).findFirst().orElseThrow();
        ProtocolMapperRepresentation mapper = mapper(console, "oidc-usermodel-attribute-mapper");
        assertEquals("tenant", mapper.getConfig().get("user.attribute"));
        assertEquals("tenant", mapper.getConfig().get("claim.name"));
        assertTrue(console.isPublicClient() && "S256".equals(console.getAttributes().get("pkce.code.challenge.method")));

        GroupRepresentation tenants = realm.getGroups().stream().filter(g -> g.getName().equals("tenants")).findFirst().orElseThrow();
        for (GroupRepresentation tenant : tenants.getSubGroups()) {
            assertEquals(List.of(tenant.getName()), tenant.getAttributes().get("tenant"), tenant.getPath());
            Map<String, List<String>> roleByGroup = tenant.getSubGroups().stream()
                    .collect(Collectors.toMap(GroupRepresentation::getName, GroupRepresentation::getRealmRoles));
            assertEquals(List.of("steward"), roleByGroup.get("stewards"));
            assertEquals(List.of("auditor"), roleByGroup.get("auditors"));
        }
        UserRepresentation alice = realm.getUsers().stream().filter(u -> u.getUsername().equals("alice")).findFirst().orElseThrow();
        assertEquals(List.of("/tenants/acme/stewards"), alice.getGroups());
        String profile = realm.getComponents().getFirst("org.keycloak.userprofile.UserProfileProvider").getConfig().getFirst("kc.user.profile.config");
        assertTrue(profile.contains("\"name\":\"tenant\""), "the user profile declares the tenant attribute, or Keycloak 24+ drops it");
        realm.getUsers().forEach(u -> assertTrue(u.getCredentials() == null || u.getCredentials().isEmpty(), u.getUsername() + ": no committed credentials"));
    }

    private static ProtocolMapperRepresentation mapper(ClientRepresentation client, String type) {
        ProtocolMapperRepresentation mapper = client.getProtocolMappers().stream().filter(m -> type.equals(m.getProtocolMapper())).findFirst()
                .orElse(null);
        assertNotNull(mapper, client.getClientId() + " has no " + type);
        return mapper;
    }
}
