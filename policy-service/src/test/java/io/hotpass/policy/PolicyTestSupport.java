package io.hotpass.policy;

import static io.restassured.RestAssured.given;

import io.hotpass.platform.testing.TestTokens;
import io.restassured.http.ContentType;
import java.util.Set;
import java.util.UUID;

/** Tokens and tenants the policy-service tests share. */
public final class PolicyTestSupport {

    public static final String DATABASE = "hotpass_policy_test";
    /** The bootstrap keys configured for the %test profile in application.properties. */
    public static final String BOOTSTRAP_ADMIN_KEY = "hp_testadmin001_TestAdminSecret00000000000000001";
    public static final String BOOTSTRAP_SERVICE_KEY = "hp_testservice1_TestServiceSecret000000000000001";

    private PolicyTestSupport() {
    }

    public static String platformAdmin() {
        return TestTokens.token("root", "platform", Set.of("platform-admin"), Set.of());
    }

    public static String gateway() {
        return TestTokens.token("gateway", "platform", Set.of("hotpass-service"), Set.of());
    }

    public static String member(String tenant, String... roles) {
        return TestTokens.token("user-" + tenant, tenant, Set.of(roles), Set.of());
    }

    /** Onboards a tenant with a fresh id and returns the id. */
    public static String newTenant(String prefix) {
        String id = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(platformAdmin()).contentType(ContentType.JSON)
                .body("{\"id\":\"" + id + "\",\"displayName\":\"" + prefix + "\"}").post("/tenants")
                .then().statusCode(201);
        return id;
    }
}
