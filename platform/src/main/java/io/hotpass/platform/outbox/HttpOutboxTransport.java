package io.hotpass.platform.outbox;

import io.opentelemetry.api.trace.Span;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * POSTs the event's JSON payload to the destination's URL with the event id in
 * {@code Hotpass-Event-Id}. 2xx and 409 (already have it) count as delivered; anything else retries.
 */
@DefaultBean
@ApplicationScoped
public class HttpOutboxTransport implements OutboxTransport {

    public static final String EVENT_ID_HEADER = "Hotpass-Event-Id";

    @Inject
    OutboxConfig config;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(5)).build();

    @Override
    public void deliver(OutboxMessage message) throws IOException, InterruptedException {
        OutboxConfig.Destination destination = config.destinations().get(message.destination());
        if (destination == null) {
            throw new IllegalStateException("No URL configured for outbox destination '" + message.destination()
                    + "' (hotpass.outbox.destinations." + message.destination() + ".url)");
        }
        HttpRequest.Builder req = HttpRequest.newBuilder(destination.url())
                .timeout(config.timeout())
                .header("Content-Type", "application/json")
                .header(EVENT_ID_HEADER, message.id().toString())
                .header("Hotpass-Event-Type", message.eventType())
                .POST(HttpRequest.BodyPublishers.ofString(message.payload()));
        destination.apiKey().ifPresent(k -> req.header("X-API-Key", k));
        if (message.tenant() != null) {
            req.header("X-Tenant", message.tenant());
        }
        // The relay's delivery span (a child of the request that wrote the event) continues at the receiver.
        String traceparent = Outbox.traceparent(Span.current().getSpanContext());
        if (traceparent != null) {
            req.header("traceparent", traceparent);
        }
        HttpResponse<Void> res = client.send(req.build(), HttpResponse.BodyHandlers.discarding());
        int s = res.statusCode();
        if (!(s >= 200 && s < 300) && s != 409) {
            throw new IOException("Destination answered HTTP " + s);
        }
    }
}
