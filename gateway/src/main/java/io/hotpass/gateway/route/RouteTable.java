package io.hotpass.gateway.route;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The declarative route table ({@code routes.yaml}): method + path template → upstream, upstream
 * path, policy action and resource. Matching is exact on the template; a path that matches no
 * template is unknown (404) and one that matches only with another method is 405.
 */
public final class RouteTable {

    private final List<CompiledRoute> routes;
    private final Map<String, Upstream> upstreams;

    public record Upstream(String prefix) {
    }

    public record RouteDefinition(String method, String path, String upstream, String to, String action,
            String resource, String maxBody, String timeout) {
    }

    record File(Map<String, Upstream> upstreams, List<RouteDefinition> routes) {
    }

    /** A matched route with its path parameters. */
    public record Match(RouteDefinition route, Map<String, String> params) {

        public String upstreamPath() {
            return substitute(route.to(), params, null);
        }

        public String resource(String tenant) {
            return substitute(route.resource(), params, tenant);
        }
    }

    private record CompiledRoute(RouteDefinition def, Pattern pattern, List<String> names) {
    }

    /** Result of a lookup: a match, or the methods allowed on the path (405), or nothing (404). */
    public record Lookup(Optional<Match> match, Set<String> allowedMethods) {
    }

    private RouteTable(File file) {
        this.upstreams = Map.copyOf(file.upstreams());
        List<CompiledRoute> compiled = new ArrayList<>();
        for (RouteDefinition r : file.routes()) {
            if (!upstreams.containsKey(r.upstream())) {
                throw new IllegalArgumentException("Route " + r.method() + " " + r.path() + " names unknown upstream " + r.upstream());
            }
            List<String> names = new ArrayList<>();
            StringBuilder regex = new StringBuilder("^");
            Matcher m = PLACEHOLDER.matcher(r.path());
            int last = 0;
            while (m.find()) {
                regex.append(Pattern.quote(r.path().substring(last, m.start()))).append("([^/]+)");
                names.add(m.group(1));
                last = m.end();
            }
            regex.append(Pattern.quote(r.path().substring(last))).append("/?$");
            compiled.add(new CompiledRoute(r, Pattern.compile(regex.toString()), List.copyOf(names)));
        }
        this.routes = List.copyOf(compiled);
    }

    public static RouteTable load(InputStream yaml) {
        try {
            ObjectMapper mapper = new ObjectMapper(new YAMLFactory())
                    .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
            return new RouteTable(mapper.readValue(yaml, File.class));
        } catch (IOException e) {
            throw new UncheckedIOException("Invalid route table", e);
        }
    }

    public Lookup lookup(String method, String path) {
        Set<String> allowed = new TreeSet<>();
        for (CompiledRoute r : routes) {
            Matcher m = r.pattern().matcher(path);
            if (!m.matches()) {
                continue;
            }
            if (r.def().method().equalsIgnoreCase(method)) {
                Map<String, String> params = new LinkedHashMap<>();
                for (int i = 0; i < r.names().size(); i++) {
                    params.put(r.names().get(i), m.group(i + 1));
                }
                return new Lookup(Optional.of(new Match(r.def(), params)), allowed);
            }
            allowed.add(r.def().method().toUpperCase());
        }
        return new Lookup(Optional.empty(), allowed);
    }

    public Upstream upstream(String name) {
        return upstreams.get(name);
    }

    public Set<String> upstreamNames() {
        return new LinkedHashSet<>(upstreams.keySet());
    }

    public List<RouteDefinition> routes() {
        return routes.stream().map(CompiledRoute::def).toList();
    }

    /** A {@code {name}} placeholder of a path or resource template. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z]+)}");

    static String substitute(String template, Map<String, String> params, String tenant) {
        Matcher m = PLACEHOLDER.matcher(template); // compiled once: this runs twice for every request
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value = "tenant".equals(name) && tenant != null ? tenant : params.get(name);
            if (value == null) {
                throw new IllegalStateException("Template " + template + " names {" + name + "} which the route does not bind");
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** Parses {@code 10M}, {@code 512K}, {@code 2G} or a plain byte count. */
    public static long parseSize(String s, long defaultValue) {
        if (s == null || s.isBlank()) {
            return defaultValue;
        }
        String t = s.trim().toUpperCase();
        long unit = switch (t.charAt(t.length() - 1)) {
            case 'K' -> 1024L;
            case 'M' -> 1024L * 1024;
            case 'G' -> 1024L * 1024 * 1024;
            default -> 1L;
        };
        String digits = unit == 1 ? t : t.substring(0, t.length() - 1);
        return Long.parseLong(digits) * unit;
    }
}
