package io.hotpass.enrichment.crawl;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Canonical URLs for the crawl frontier, so one page is fetched once, and the trap guards:
 * only http(s), lower-case scheme and host, default port and fragment dropped, dot segments
 * resolved, session and tracking parameters removed; URLs that are too long or repeat a path
 * segment too often (calendar and relative-link traps) are refused.
 */
public final class UrlNormaliser {

    private static final Set<String> DROPPED_PARAMS = Set.of("jsessionid", "phpsessid", "sid", "sessionid", "gclid",
            "fbclid");

    private UrlNormaliser() {
    }

    /** Resolves a link against its page and normalises it; {@code null} for anything not crawlable. */
    public static URI resolve(URI base, String href) {
        if (href == null || href.isBlank()) {
            return null;
        }
        try {
            URI target = base.resolve(new URI(href.strip().replace(" ", "%20")));
            return normalise(target);
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    public static URI normalise(URI u) {
        if (u == null || u.getScheme() == null || u.getHost() == null) {
            return null;
        }
        String scheme = u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return null;
        }
        String host = u.getHost().toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        int port = u.getPort();
        if (scheme.equals("http") && port == 80 || scheme.equals("https") && port == 443) {
            port = -1;
        }
        String path = u.normalize().getRawPath();
        if (path == null || path.isEmpty()) {
            path = "/";
        }
        int semi = path.toLowerCase(Locale.ROOT).indexOf(";jsessionid=");
        if (semi >= 0) {
            path = path.substring(0, semi);
        }
        String query = query(u.getRawQuery());
        try {
            URI out = new URI(scheme + "://" + host + (port < 0 ? "" : ":" + port) + path
                    + (query == null ? "" : "?" + query));
            return out;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static String query(String raw) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        List<String> kept = new ArrayList<>();
        for (String p : raw.split("&")) {
            String name = p.split("=", 2)[0].toLowerCase(Locale.ROOT);
            if (!p.isEmpty() && !DROPPED_PARAMS.contains(name) && !name.startsWith("utm_")) {
                kept.add(p);
            }
        }
        return kept.isEmpty() ? null : String.join("&", kept);
    }

    /** The trap guard: {@code null} when the URL is acceptable, else the reason it is refused. */
    public static String trap(URI u, int maxLength, int maxSegmentRepeats) {
        if (u.toString().length() > maxLength) {
            return "url_too_long";
        }
        Map<String, Integer> seen = new HashMap<>();
        for (String segment : u.getRawPath().split("/")) {
            if (!segment.isEmpty() && seen.merge(segment, 1, Integer::sum) > maxSegmentRepeats) {
                return "repeated_path_segment";
            }
        }
        return null;
    }
}
