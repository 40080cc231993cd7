package io.hotpass.gateway.console;

import io.hotpass.platform.auth.Caller;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Console sessions in the gateway's own database, so every replica and a restarted gateway know
 * them. The cookie value is 256 random bits; only its SHA-256 is stored. A session is over at its
 * absolute expiry or after {@link ConsoleConfig#idleTimeout()} without use, whichever comes first.
 * Blocking (JDBC): call off the event loop.
 */
@ApplicationScoped
public class ConsoleSessionStore {

    private static final Logger LOG = Logger.getLogger(ConsoleSessionStore.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Touching {@code last_seen_at} on every request would write a row per API call. */
    private static final long TOUCH_AFTER_SECONDS = 15;

    @Inject
    DataSource dataSource;

    @Inject
    ConsoleConfig config;

    public static String randomToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String hash(String id) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A new session for {@code caller}; OIDC sign-ins pass the person's name (display only),
     * Keycloak's tokens and their own end.
     */
    public ConsoleSession create(Caller caller, String authMethod, String displayName, String accessToken, String refreshToken,
            Instant credentialExpiry) {
        String id = randomToken();
        String csrf = randomToken();
        Instant now = Instant.now();
        Instant expires = now.plus(config.maxAge());
        if (credentialExpiry != null && credentialExpiry.isBefore(expires)) {
            expires = credentialExpiry;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("insert into console_session (id_hash, csrf_token, subject, tenant_id,"
                        + " roles, scopes, auth_method, access_token, refresh_token, created_at, last_seen_at, expires_at,"
                        + " display_name) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, hash(id));
            ps.setString(2, csrf);
            ps.setString(3, caller.subject());
            ps.setString(4, caller.tenant());
            ps.setArray(5, c.createArrayOf("text", caller.roles().toArray()));
            ps.setArray(6, c.createArrayOf("text", caller.scopes().toArray()));
            ps.setString(7, authMethod);
            ps.setString(8, accessToken);
            ps.setString(9, refreshToken);
            ps.setTimestamp(10, Timestamp.from(now));
            ps.setTimestamp(11, Timestamp.from(now));
            ps.setTimestamp(12, Timestamp.from(expires));
            ps.setString(13, displayName);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not store a console session", e);
        }
        return new ConsoleSession(id, csrf, caller, authMethod, now, expires, displayName);
    }

    /** The live session the cookie value names; empty when unknown, signed out, idle too long or expired. */
    public Optional<ConsoleSession> find(String id) {
        if (id == null || id.isBlank() || id.length() > 100) {
            return Optional.empty();
        }
        String h = hash(id);
        try (Connection c = dataSource.getConnection()) {
            ConsoleSession session;
            boolean touch;
            try (PreparedStatement ps = c.prepareStatement("select csrf_token, subject, tenant_id, roles, scopes, auth_method,"
                    + " created_at, expires_at, display_name, last_seen_at < now() - make_interval(secs => ?) as stale from console_session"
                    + " where id_hash = ? and expires_at > now() and last_seen_at > now() - make_interval(secs => ?)")) {
                ps.setLong(1, TOUCH_AFTER_SECONDS);
                ps.setString(2, h);
                ps.setLong(3, config.idleTimeout().toSeconds());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    Caller caller = new Caller(rs.getString("subject"), rs.getString("tenant_id"), strings(rs.getArray("roles")),
                            strings(rs.getArray("scopes")));
                    session = new ConsoleSession(id, rs.getString("csrf_token"), caller, rs.getString("auth_method"),
                            rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("expires_at").toInstant(),
                            rs.getString("display_name"));
                    touch = rs.getBoolean("stale");
                }
            }
            if (touch) {
                try (PreparedStatement ps = c.prepareStatement("update console_session set last_seen_at = now() where id_hash = ?")) {
                    ps.setString(1, h);
                    ps.executeUpdate();
                }
            }
            return Optional.of(session);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read a console session", e);
        }
    }

    /** Signs out: the session is deleted, so no replica accepts its cookie any more. */
    public boolean delete(String id) {
        if (id == null || id.isBlank()) {
            return false;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("delete from console_session where id_hash = ?")) {
            ps.setString(1, hash(id));
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not delete a console session", e);
        }
    }

    /** Keycloak's refresh token of an OIDC session, for ending it at Keycloak on sign-out. */
    public Optional<String> refreshToken(String id) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select refresh_token from console_session where id_hash = ?")) {
            ps.setString(1, hash(id));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read a console session", e);
        }
    }

    /** Keeps the table to live sessions and recent sign-in attempts. */
    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement sessions = c.prepareStatement("delete from console_session where expires_at <= now()"
                        + " or last_seen_at <= now() - make_interval(secs => ?)");
                PreparedStatement logins = c.prepareStatement("delete from console_login where created_at < now() - interval '15 minutes'")) {
            sessions.setLong(1, config.idleTimeout().toSeconds());
            int n = sessions.executeUpdate();
            logins.executeUpdate();
            if (n > 0) {
                LOG.debugf("Purged %d ended console sessions", n);
            }
        } catch (SQLException e) {
            LOG.warnf("Could not purge console sessions: %s", e.getMessage());
        }
    }

    /** Stores a pending OIDC sign-in (state, PKCE verifier, where to go afterwards). */
    public void savePendingLogin(String state, String verifier, String returnTo) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "insert into console_login (state, code_verifier, return_to) values (?, ?, ?)")) {
            ps.setString(1, state);
            ps.setString(2, verifier);
            ps.setString(3, returnTo);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not store a pending sign-in", e);
        }
    }

    /** A pending sign-in, consumed: a state is good for one callback within ten minutes. */
    public record PendingLogin(String verifier, String returnTo) {
    }

    public Optional<PendingLogin> takePendingLogin(String state) {
        if (state == null || state.length() > 100) {
            return Optional.empty();
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("delete from console_login where state = ?"
                        + " and created_at > now() - interval '10 minutes' returning code_verifier, return_to")) {
            ps.setString(1, state);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new PendingLogin(rs.getString(1), rs.getString(2)))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read a pending sign-in", e);
        }
    }

    private static Set<String> strings(Array array) throws SQLException {
        if (array == null) {
            return Set.of();
        }
        return new LinkedHashSet<>(List.of((String[]) array.getArray()));
    }
}
