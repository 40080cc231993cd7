package io.hotpass.enrichment.crawl;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * One HTTP GET, one hop: redirects are returned, not followed, so the caller re-checks robots.txt
 * and the address guard for every hop. The client resolves hosts only through {@link AddressGuard},
 * never uses system proxies, cookies or automatic retries, and reads at most a bounded number of
 * bytes within a deadline; a response over the limit, too slow, or of a media type not asked for
 * is abandoned and its connection dropped unread.
 */
public final class PageFetcher implements Closeable {

    /**
     * How one fetch ended. {@code CIRCUIT_OPEN} is never produced here: {@link HostGuards} answers it
     * without sending anything while a host's circuit breaker is open.
     */
    public enum Outcome {
        OK, REDIRECT, HTTP_ERROR, TOO_LARGE, TIMEOUT, UNSUPPORTED_TYPE, UNSUPPORTED_SCHEME, BLOCKED_ADDRESS,
        NETWORK_ERROR, CIRCUIT_OPEN
    }

    /**
     * @param body the body (only for {@code OK}); {@code bodyTruncated} when it was cut at the caller's limit
     * @param retryAfter the response's {@code Retry-After} (only for {@code HTTP_ERROR}; {@code null} when absent
     *        or unreadable)
     */
    public record Fetch(URI uri, Outcome outcome, int status, String contentType, String location, byte[] body,
            boolean bodyTruncated, Instant fetchedAt, String sha256, String detail, Duration retryAfter) {

        boolean isRedirect() {
            return outcome == Outcome.REDIRECT;
        }

        /** The same fetch with another outcome detail. */
        Fetch withDetail(String newDetail) {
            return new Fetch(uri, outcome, status, contentType, location, body, bodyTruncated, fetchedAt, sha256,
                    newDetail, retryAfter);
        }

        /** A fetch that was not attempted because the host's circuit breaker is open. */
        static Fetch circuitOpen(URI uri, String detail) {
            return new Fetch(uri, Outcome.CIRCUIT_OPEN, 0, null, null, null, false, Instant.now(), null, detail, null);
        }
    }

    private final CloseableHttpClient client;
    private final CrawlSettings settings;

    public PageFetcher(CrawlSettings settings) {
        this.settings = settings;
        ConnectionConfig connection = ConnectionConfig.custom()
                .setConnectTimeout(Timeout.of(settings.connectTimeout()))
                .setSocketTimeout(Timeout.of(settings.readTimeout())).build();
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(new AddressGuard(settings.allowedPrivateHosts()))
                        .setDefaultConnectionConfig(connection).setMaxConnPerRoute(2).setMaxConnTotal(64).build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(settings.readTimeout()))
                        .build())
                .disableRedirectHandling().disableAutomaticRetries().disableCookieManagement()
                .disableAuthCaching().setUserAgent(settings.userAgent()).build();
    }

    /**
     * Fetches one URL.
     *
     * @param acceptTypes media types whose body is read ({@code null} = any)
     * @param maxBytes read at most this many bytes
     * @param truncateOk when the body is longer: keep the first {@code maxBytes} (robots.txt) rather than
     *        abandoning it as {@code TOO_LARGE} (pages)
     */
    public Fetch fetch(URI uri, Set<String> acceptTypes, long maxBytes, boolean truncateOk) {
        Instant at = Instant.now();
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return failed(uri, Outcome.UNSUPPORTED_SCHEME, at, "scheme not allowed");
        }
        HttpGet get = new HttpGet(uri);
        get.setHeader("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1");
        long deadline = System.nanoTime() + settings.fetchTimeout().toNanos();
        ClassicHttpResponse response = null;
        try {
            response = client.executeOpen(null, get, null);
            int status = response.getCode();
            String type = mediaType(response.getFirstHeader("Content-Type"));
            if (status >= 300 && status < 400) {
                Header location = response.getFirstHeader("Location");
                get.cancel();
                return new Fetch(uri, location == null ? Outcome.HTTP_ERROR : Outcome.REDIRECT, status, type,
                        location == null ? null : location.getValue(), null, false, at, null,
                        location == null ? "redirect without Location" : null, null);
            }
            if (status < 200 || status >= 300) {
                get.cancel();
                return new Fetch(uri, Outcome.HTTP_ERROR, status, type, null, null, false, at, null, "HTTP " + status,
                        retryAfter(response.getFirstHeader("Retry-After"), at));
            }
            if (acceptTypes != null && (type == null || !acceptTypes.contains(type))) {
                get.cancel();
                return new Fetch(uri, Outcome.UNSUPPORTED_TYPE, status, type, null, null, false, at, null,
                        "content type " + type, null);
            }
            HttpEntity entity = response.getEntity();
            if (entity != null && entity.getContentLength() > maxBytes && !truncateOk) {
                get.cancel();
                return new Fetch(uri, Outcome.TOO_LARGE, status, type, null, null, false, at, null,
                        "Content-Length " + entity.getContentLength(), null);
            }
            byte[] body = new byte[0];
            boolean truncated = false;
            if (entity != null) {
                // Not closed here: closing a cancelled stream throws; the response is closed in finally.
                InputStream in = entity.getContent();
                Bounded read = read(in, maxBytes, deadline);
                if (read.timedOut) {
                    get.cancel();
                    return new Fetch(uri, Outcome.TIMEOUT, status, type, null, null, false, at, null,
                            "body not complete within " + settings.fetchTimeout(), null);
                }
                if (read.overLimit && !truncateOk) {
                    get.cancel();
                    return new Fetch(uri, Outcome.TOO_LARGE, status, type, null, null, false, at, null,
                            "body over " + maxBytes + " bytes", null);
                }
                if (read.overLimit) {
                    get.cancel();
                }
                body = read.bytes;
                truncated = read.overLimit;
            }
            return new Fetch(uri, Outcome.OK, status, type, null, body, truncated, at, sha256(body), null, null);
        } catch (BlockedAddressException e) {
            return failed(uri, Outcome.BLOCKED_ADDRESS, at, e.getMessage());
        } catch (InterruptedIOException e) {
            return failed(uri, Outcome.TIMEOUT, at, e.getClass().getSimpleName());
        } catch (IOException | RuntimeException e) {
            Throwable c = e;
            while (c != null) {
                if (c instanceof BlockedAddressException b) {
                    return failed(uri, Outcome.BLOCKED_ADDRESS, at, b.getMessage());
                }
                c = c.getCause();
            }
            return failed(uri, Outcome.NETWORK_ERROR, at, e.getClass().getSimpleName());
        } finally {
            closeQuietly(response);
        }
    }

    /** Closing a response whose request was cancelled may throw; the outcome is already decided. */
    private static void closeQuietly(ClassicHttpResponse response) {
        if (response != null) {
            try {
                response.close();
            } catch (IOException | RuntimeException e) {
                // connection already dropped
            }
        }
    }

    private record Bounded(byte[] bytes, boolean overLimit, boolean timedOut) {
    }

    private static Bounded read(InputStream in, long maxBytes, long deadline) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        long total = 0;
        while (true) {
            if (System.nanoTime() > deadline) {
                return new Bounded(null, false, true);
            }
            int n = in.read(buf);
            if (n < 0) {
                return new Bounded(out.toByteArray(), false, false);
            }
            long room = maxBytes - total;
            if (n > room) {
                out.write(buf, 0, (int) Math.max(0, room));
                return new Bounded(out.toByteArray(), true, false);
            }
            out.write(buf, 0, n);
            total += n;
        }
    }

    private static Fetch failed(URI uri, Outcome outcome, Instant at, String detail) {
        return new Fetch(uri, outcome, 0, null, null, null, false, at, null, detail, null);
    }

    /**
     * {@code Retry-After} (RFC 9110 §10.2.3): delay-seconds or an HTTP-date, as a duration from {@code at};
     * {@code null} when absent or unreadable, zero for a date in the past.
     */
    static Duration retryAfter(Header h, Instant at) {
        if (h == null || h.getValue() == null) {
            return null;
        }
        String v = h.getValue().strip();
        try {
            if (!v.isEmpty() && v.chars().allMatch(Character::isDigit)) {
                return Duration.ofSeconds(Long.parseLong(v));
            }
            Instant when = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return when.isAfter(at) ? Duration.between(at, when) : Duration.ZERO;
        } catch (NumberFormatException | DateTimeParseException e) {
            return null;
        }
    }

    private static String mediaType(Header h) {
        if (h == null) {
            return null;
        }
        String v = h.getValue();
        int semi = v.indexOf(';');
        return (semi < 0 ? v : v.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
