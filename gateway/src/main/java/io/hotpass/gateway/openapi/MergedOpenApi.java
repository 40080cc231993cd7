package io.hotpass.gateway.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hotpass.gateway.proxy.GatewayProxy;
import io.hotpass.gateway.route.GatewayConfig;
import io.hotpass.gateway.route.RouteTable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One OpenAPI document for the whole public API at {@code /api/openapi}: each service's own
 * document ({@code /q/openapi}) with its operations placed at their public paths — only the
 * operations the route table exposes — its schemas namespaced by service, and the gateway's own
 * security schemes and error responses. Rebuilt at most every {@value #TTL_MILLIS} ms; a service
 * that is down is listed under {@code x-hotpass-unavailable} instead of failing the document.
 */
@ApplicationScoped
public class MergedOpenApi {

    static final long TTL_MILLIS = 30_000;
    static final List<String> GATEWAY_ERRORS = List.of("401", "403", "404", "413", "429", "502", "503", "504");

    @Inject
    Vertx vertx;

    @Inject
    GatewayConfig config;

    @Inject
    GatewayProxy proxy;

    @Inject
    ObjectMapper mapper;

    private HttpClient client;
    private volatile ObjectNode cached;
    private volatile long cachedAt;

    @PostConstruct
    void init() {
        client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(2000));
    }

    void register(@Observes Router router) {
        router.get("/api/openapi").order(-20).handler(this::serve);
    }

    void serve(RoutingContext rc) {
        document().onSuccess(doc -> rc.response().putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "max-age=30").end(doc.toString()))
                .onFailure(err -> rc.response().setStatusCode(500).end());
    }

    public Future<ObjectNode> document() {
        ObjectNode c = cached;
        if (c != null && System.currentTimeMillis() - cachedAt < TTL_MILLIS) {
            return Future.succeededFuture(c);
        }
        RouteTable table = proxy.table();
        List<String> upstreams = new ArrayList<>(table.upstreamNames());
        List<Future<JsonNode>> docs = new ArrayList<>();
        for (String u : upstreams) {
            docs.add(fetch(config.upstreams().get(u).url() + "/q/openapi?format=json"));
        }
        return Future.join(new ArrayList<>(docs)).transform(ar -> {
            Map<String, JsonNode> byUpstream = new LinkedHashMap<>();
            for (int i = 0; i < upstreams.size(); i++) {
                byUpstream.put(upstreams.get(i), docs.get(i).succeeded() ? docs.get(i).result() : null);
            }
            ObjectNode merged = merge(table, byUpstream);
            cached = merged;
            cachedAt = System.currentTimeMillis();
            return Future.succeededFuture(merged);
        });
    }

    ObjectNode merge(RouteTable table, Map<String, JsonNode> docs) {
        ObjectNode out = mapper.createObjectNode();
        out.put("openapi", "3.0.3");
        ObjectNode info = out.putObject("info");
        info.put("title", "Hotpass API");
        info.put("version", "0.1.0");
        info.put("description", "Every public operation of Hotpass, served through the gateway. Authenticate with a tenant"
                + " API key (X-API-Key or Authorization: ApiKey) or a Keycloak bearer token. Errors are RFC 9457"
                + " problem+json with a stable code.");
        ObjectNode paths = out.putObject("paths");
        ObjectNode components = out.putObject("components");
        ObjectNode schemas = components.putObject("schemas");
        schemas.set("Problem", problemSchema());
        ObjectNode security = components.putObject("securitySchemes");
        ObjectNode apiKey = security.putObject("apiKey");
        apiKey.put("type", "apiKey");
        apiKey.put("in", "header");
        apiKey.put("name", "X-API-Key");
        ObjectNode bearer = security.putObject("bearer");
        bearer.put("type", "http");
        bearer.put("scheme", "bearer");
        bearer.put("bearerFormat", "JWT");
        ArrayNode globalSecurity = out.putArray("security");
        globalSecurity.addObject().putArray("apiKey");
        globalSecurity.addObject().putArray("bearer");
        ArrayNode unavailable = mapper.createArrayNode();

        for (Map.Entry<String, JsonNode> e : docs.entrySet()) {
            String upstream = e.getKey();
            JsonNode doc = e.getValue();
            if (doc == null) {
                unavailable.add(upstream);
                continue;
            }
            String prefix = upstream + ".";
            doc.path("components").path("schemas").fields().forEachRemaining(s ->
                    schemas.set(prefix + s.getKey(), renameRefs(s.getValue().deepCopy(), prefix)));
            for (RouteTable.RouteDefinition r : table.routes()) {
                if (!r.upstream().equals(upstream)) {
                    continue;
                }
                JsonNode op = operation(doc, r.to(), r.method());
                if (op == null) {
                    continue;
                }
                ObjectNode copy = renameRefs(op.deepCopy(), prefix);
                copy.put("x-hotpass-action", r.action());
                copy.remove("security");
                ObjectNode responses = copy.get("responses") instanceof ObjectNode r0 ? r0 : copy.putObject("responses");
                for (String status : GATEWAY_ERRORS) {
                    if (!responses.has(status)) {
                        ObjectNode resp = responses.putObject(status);
                        resp.put("description", gatewayError(status));
                        resp.putObject("content").putObject("application/problem+json").putObject("schema")
                                .put("$ref", "#/components/schemas/Problem");
                    }
                }
                // Not paths.with(path): Jackson reads a leading '/' there as a JSON Pointer.
                ObjectNode item = paths.get(r.path()) instanceof ObjectNode existing ? existing : paths.putObject(r.path());
                item.set(r.method().toLowerCase(Locale.ROOT), copy);
            }
        }
        if (!unavailable.isEmpty()) {
            out.set("x-hotpass-unavailable", unavailable);
        }
        return out;
    }

    /** The service's operation for a route, matching its path template whatever the parameter names. */
    static JsonNode operation(JsonNode doc, String to, String method) {
        String shape = to.replaceAll("\\{[^}]+}", "{}");
        Iterator<Map.Entry<String, JsonNode>> it = doc.path("paths").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> p = it.next();
            if (p.getKey().replaceAll("\\{[^}]+}", "{}").equals(shape)) {
                JsonNode op = p.getValue().get(method.toLowerCase(Locale.ROOT));
                if (op != null) {
                    return op;
                }
            }
        }
        return null;
    }

    private ObjectNode renameRefs(JsonNode node, String prefix) {
        String json = node.toString().replace("\"#/components/schemas/", "\"#/components/schemas/" + prefix);
        try {
            return (ObjectNode) mapper.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private ObjectNode problemSchema() {
        ObjectNode s = mapper.createObjectNode();
        s.put("type", "object");
        s.put("description", "RFC 9457 problem details with Hotpass's stable code and trace id");
        ObjectNode props = s.putObject("properties");
        for (String f : List.of("type", "title", "detail", "code", "instance", "traceId")) {
            props.putObject(f).put("type", "string");
        }
        props.putObject("status").put("type", "integer");
        s.putArray("required").add("type").add("title").add("status").add("code");
        return s;
    }

    private static String gatewayError(String status) {
        return switch (status) {
            case "401" -> "unauthenticated / invalid_api_key: no valid credential";
            case "403" -> "forbidden (policy decision, with reason) or tenant_mismatch";
            case "404" -> "not_found: no such route, or a resource of another tenant";
            case "413" -> "payload_too_large: body over the route's limit";
            case "429" -> "rate_limited: with Retry-After and RateLimit-* headers";
            case "502" -> "upstream_unavailable";
            case "503" -> "policy_unavailable or upstream_circuit_open, with Retry-After";
            default -> "upstream_timeout";
        };
    }

    private Future<JsonNode> fetch(String url) {
        return client.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url).setIdleTimeout(5000))
                .compose(req -> req.send())
                .compose(res -> res.statusCode() == 200 ? res.body() : Future.failedFuture("HTTP " + res.statusCode()))
                .map(buf -> {
                    try {
                        return mapper.readTree(buf.getBytes());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
    }
}
