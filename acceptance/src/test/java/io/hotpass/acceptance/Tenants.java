package io.hotpass.acceptance;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tenants and API keys made through the gateway with the bootstrap administrator's key, exactly as
 * an operator onboards a tenant. Keys are kept per (tenant, role) for the suites.
 */
public final class Tenants {

    private static final Map<String, String> KEYS = new LinkedHashMap<>();

    private Tenants() {
    }

    /** An API key of {@code tenant} holding {@code role}, onboarding the tenant on first use. */
    public static synchronized String key(String tenant, String role) {
        return KEYS.computeIfAbsent(tenant + "/" + role, k -> {
            Stack stack = Stack.get();
            int status = given().baseUri(stack.gateway()).header("X-API-Key", stack.adminKey).contentType(ContentType.JSON)
                    .body(Map.of("id", tenant, "displayName", "Tenant " + tenant)).post("/api/v1/policy/tenants")
                    .then().extract().statusCode();
            if (status != 201 && status != 409) {
                throw new IllegalStateException("Onboarding " + tenant + " answered " + status);
            }
            return given().baseUri(stack.gateway()).header("X-API-Key", stack.adminKey).contentType(ContentType.JSON)
                    .body(Map.of("name", role + "-key", "roles", List.of(role), "scopes", List.of()))
                    .post("/api/v1/policy/tenants/" + tenant + "/api-keys")
                    .then().statusCode(201).extract().path("key");
        });
    }

    public static synchronized List<String> allKeys() {
        return List.copyOf(KEYS.values());
    }
}
