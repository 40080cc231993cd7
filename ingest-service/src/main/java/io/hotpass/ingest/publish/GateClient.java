package io.hotpass.ingest.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotpass.platform.problem.ErrorCode;
import io.hotpass.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The two publish gates, asked through the gateway with the caller's own internal JWT (so the
 * gateway checks the caller may read them, and the services see the caller's tenant):
 * contracts-service's {@code /gates/{dataset}/{version}} and lineage-service's
 * {@code /api/v1/gates/{namespace}/{dataset}/{version}}.
 */
@ApplicationScoped
public class GateClient {

    /** One gate's answer: pass, and its reasons ({@code code}, {@code detail}). */
    public record Answer(String gate, boolean pass, List<Reason> reasons) {
    }

    public record Reason(String gate, String code, String detail) {
    }

    @ConfigProperty(name = "hotpass.gateway.url", defaultValue = "http://127.0.0.1:8080")
    String gatewayUrl;

    @ConfigProperty(name = "hotpass.ingest.publish.gate-timeout", defaultValue = "PT20S")
    Duration timeout;

    @Inject
    ObjectMapper json;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    public Answer contracts(UUID dataset, int version, String bearer) {
        return ask("contracts", "/api/v1/contracts/gates/" + dataset + "/" + version, bearer);
    }

    public Answer lineage(String namespace, String dataset, int version, String bearer) {
        return ask("lineage", "/marquez/api/v1/gates/" + segment(namespace) + "/" + segment(dataset) + "/" + version,
                bearer);
    }

    private Answer ask(String gate, String path, String bearer) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(gatewayUrl.replaceAll("/+$", "") + path)).timeout(timeout)
                .header("Accept", "application/json").header("Authorization", "Bearer " + bearer).GET().build();
        HttpResponse<byte[]> res;
        try {
            res = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw unavailable(gate);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(gate);
        }
        int status = res.statusCode();
        if (status == 200) {
            try {
                JsonNode n = json.readTree(res.body());
                List<Reason> reasons = new ArrayList<>();
                for (JsonNode r : n.path("reasons")) {
                    reasons.add(new Reason(gate, r.path("code").asText("unknown"), r.path("detail").asText(null)));
                }
                return new Answer(gate, n.path("pass").asBoolean(false), reasons);
            } catch (IOException e) {
                throw unavailable(gate);
            }
        }
        if (status == 401 || status == 403) {
            throw new ProblemException(ErrorCode.FORBIDDEN, "The caller may not read the " + gate
                    + " publish gate, so it may not publish");
        }
        if (status == 404) {
            return new Answer(gate, false, List.of(new Reason(gate, "gate_not_found",
                    "The " + gate + " gate does not know this dataset version")));
        }
        throw unavailable(gate);
    }

    private static ProblemException unavailable(String gate) {
        return new ProblemException(503, "publish_gate_unavailable", "Publish gate unavailable",
                "The " + gate + " gate could not be asked; nothing was published, try again")
                .header("Retry-After", "5").with("gate", gate);
    }

    private static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
