package io.hotpass.gateway.proxy;

import io.hotpass.gateway.auth.PolicyClient;
import io.hotpass.gateway.route.GatewayConfig;
import io.hotpass.gateway.token.InternalTokenIssuer;
import io.hotpass.platform.auth.Caller;
import io.hotpass.platform.outbox.HttpOutboxTransport;
import io.hotpass.platform.outbox.OutboxConfig;
import io.hotpass.platform.outbox.OutboxMessage;
import io.hotpass.platform.outbox.OutboxTransport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;

/**
 * The gateway delivers its own outbox (audit entries) straight to policy-service, authenticated
 * with an internal token it mints for itself, so audit traffic never loops back through the
 * gateway's own audited routes. Other destinations use the platform's HTTP transport.
 */
@ApplicationScoped
public class GatewayOutboxTransport implements OutboxTransport {

    @Inject
    GatewayConfig config;

    @Inject
    InternalTokenIssuer issuer;

    @Inject
    OutboxConfig outboxConfig;

    @Inject
    HttpOutboxTransport http;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    @Override
    public void deliver(OutboxMessage message) throws Exception {
        if (!"audit".equals(message.destination())) {
            http.deliver(message);
            return;
        }
        String tenant = message.tenant() == null ? "platform" : message.tenant();
        String token = issuer.mint(new Caller("svc:gateway", tenant, Set.of(PolicyClient.SERVICE_ROLE), Set.of()), "service");
        HttpRequest req = HttpRequest.newBuilder(URI.create(config.upstreams().get("policy").url() + "/audit"))
                .timeout(outboxConfig.timeout())
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .header(HttpOutboxTransport.EVENT_ID_HEADER, message.id().toString())
                .POST(HttpRequest.BodyPublishers.ofString(message.payload()))
                .build();
        int status = client.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (!(status >= 200 && status < 300) && status != 409) {
            throw new IOException("policy-service answered HTTP " + status + " to an audit entry");
        }
    }
}
