package io.hotpass.chaos.workload;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A tenant's system as a bearer-token client: client credentials of its Keycloak client
 * ({@code tenant-<id>}, made by policy-service's onboarding) exchanged at the realm's token
 * endpoint, every request bounded (connect 2 s, answer within the caller's timeout), so a frozen
 * Keycloak costs a bounded wait and an error, never a hang.
 */
public final class TokenClient {

    private final String tokenEndpoint;
    private final String clientId;
    private final String clientSecret;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2))
            .build();

    public TokenClient(String tokenEndpoint, String clientId, String clientSecret) {
        this.tokenEndpoint = tokenEndpoint;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
    }

    public String clientId() {
        return clientId;
    }

    /** A token ({@code token} set), or why there is none ({@code error}); {@code latencyMs} either way. */
    public record Result(String token, long expiresInSeconds, long latencyMs, String error) {
        public boolean ok() {
            return token != null;
        }

        /** The credential as {@link Api#send} takes it. */
        public String bearer() {
            return Api.BEARER + token;
        }
    }

    public Result fetch(Duration timeout) {
        String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8)
                + "&client_secret=" + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8);
        long start = System.nanoTime();
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(tokenEndpoint)).timeout(timeout)
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            long ms = (System.nanoTime() - start) / 1_000_000;
            JsonNode body = Api.JSON.readTree(r.body() == null || r.body().isBlank() ? "{}" : r.body());
            if (r.statusCode() != 200 || !body.path("access_token").isTextual()) {
                return new Result(null, 0, ms, "the token endpoint answered " + r.statusCode() + " " + body.path("error").asText(""));
            }
            return new Result(body.path("access_token").asText(), body.path("expires_in").asLong(), ms, null);
        } catch (IOException e) {
            return new Result(null, 0, (System.nanoTime() - start) / 1_000_000,
                    e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(null, 0, (System.nanoTime() - start) / 1_000_000, "interrupted");
        }
    }
}
