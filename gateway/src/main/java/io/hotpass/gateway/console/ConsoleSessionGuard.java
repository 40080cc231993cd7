package io.hotpass.gateway.console;

import io.hotpass.platform.auth.Caller;
import io.hotpass.platform.problem.ErrorCode;
import io.hotpass.platform.problem.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * The rules for a request whose only credential is the console's session cookie. A cookie is sent
 * by the browser on its own, so it is trusted only when the request provably comes from the
 * console itself: never from another site ({@code Origin} and {@code Sec-Fetch-Site}), and for
 * anything but a read, only with the session's CSRF token in {@code X-CSRF-Token} (a page of
 * another site cannot read that token, so it cannot send it).
 */
@ApplicationScoped
public class ConsoleSessionGuard {

    public static final String COOKIE = "hp_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    @Inject
    ConsoleSessionStore store;

    @Inject
    ConsoleConfig config;

    @Inject
    Vertx vertx;

    /** The session id the request's cookie carries, or null. */
    public static String sessionId(HttpServerRequest req) {
        Cookie c = req.getCookie(COOKIE);
        return c == null || c.getValue().isBlank() ? null : c.getValue();
    }

    /** The caller a session cookie stands for, after the same-origin and CSRF rules. */
    public Future<Caller> authenticate(HttpServerRequest req, String sessionId) {
        try {
            requireSameOrigin(req);
        } catch (ProblemException e) {
            return Future.failedFuture(e);
        }
        boolean unsafe = !SAFE.contains(req.method());
        String presented = req.getHeader(CSRF_HEADER);
        return vertx.executeBlocking(() -> store.find(sessionId), false).compose(found -> {
            if (found.isEmpty()) {
                return Future.failedFuture(sessionEnded());
            }
            if (unsafe && !matches(found.get().csrfToken(), presented)) {
                return Future.failedFuture(new ProblemException(403, "csrf_token_invalid", "CSRF token missing or wrong",
                        "A change made with the console's session needs the session's token in " + CSRF_HEADER));
            }
            return Future.succeededFuture(found.get().caller());
        });
    }

    /**
     * Refuses a request another site made the browser send: an {@code Origin} other than the
     * console's own, or {@code Sec-Fetch-Site} saying cross-site or same-site (a sibling host).
     */
    public void requireSameOrigin(HttpServerRequest req) {
        String origin = req.getHeader("Origin");
        if (origin != null && !origin.equalsIgnoreCase(ownOrigin(req))) {
            throw crossSite("Origin " + origin + " is not the console's origin");
        }
        String site = req.getHeader("Sec-Fetch-Site");
        if (site != null && (site.equalsIgnoreCase("cross-site") || site.equalsIgnoreCase("same-site"))) {
            throw crossSite("The browser says this request came from another site (Sec-Fetch-Site: " + site + ")");
        }
    }

    /** The console's origin: configured, or as the request names the host it was sent to. */
    public String ownOrigin(HttpServerRequest req) {
        if (config.publicOrigin().isPresent()) {
            return stripSlash(config.publicOrigin().get());
        }
        String proto = req.getHeader("X-Forwarded-Proto");
        String host = req.getHeader("X-Forwarded-Host");
        if (host == null) {
            host = req.authority() == null ? req.getHeader("Host") : req.authority().toString();
        }
        return (proto == null ? req.scheme() : proto.split(",")[0].trim()) + "://" + host;
    }

    public boolean secure(HttpServerRequest req) {
        return switch (config.secureCookie()) {
            case "always" -> true;
            case "never" -> false;
            default -> ownOrigin(req).startsWith("https:");
        };
    }

    public static ProblemException sessionEnded() {
        return new ProblemException(401, "session_expired", "Session ended",
                "The console session is unknown, signed out or expired; sign in again");
    }

    private static ProblemException crossSite(String detail) {
        return new ProblemException(403, "cross_site_request", "Cross-site request refused", detail);
    }

    private static boolean matches(String expected, String presented) {
        return presented != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    static ProblemException unauthenticated() {
        return new ProblemException(ErrorCode.UNAUTHENTICATED, "Sign in first");
    }
}
