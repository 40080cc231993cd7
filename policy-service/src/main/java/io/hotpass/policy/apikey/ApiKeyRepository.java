package io.hotpass.policy.apikey;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * {@code api_key} rows, through JDBC in the caller's transaction. Every statement except
 * {@link #lookup} runs under the tenant set on the transaction (row-level security); {@link #lookup}
 * goes through the {@code api_key_lookup} SECURITY DEFINER function (see V2__create_api_key.sql).
 */
@ApplicationScoped
public class ApiKeyRepository {

    /** What verification needs of a key, whatever its tenant. */
    public record StoredCredential(String keyId, String tenant, String secretSha256, List<String> roles,
            List<String> scopes, Instant expiresAt, Instant revokedAt, Instant lastUsedAt, String tenantStatus) {
    }

    private static final String COLUMNS = "key_id, tenant_id, name, roles, scopes, created_by, created_at,"
            + " expires_at, revoked_at, last_used_at";

    @Inject
    DataSource dataSource;

    public boolean tenantExists(String tenant) {
        return jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("select 1 from tenant where id = ?")) {
                ps.setString(1, tenant);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** Inserts a new key; empty when the key id is taken (by any tenant), so the caller draws another. */
    public Optional<ApiKey> insert(String keyId, String tenant, String name, String secretSha256, List<String> roles,
            List<String> scopes, String createdBy, Instant expiresAt) {
        return jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into api_key (key_id, tenant_id, name,"
                    + " secret_sha256, roles, scopes, created_by, expires_at) values (?, ?, ?, ?, ?, ?, ?, ?)"
                    + " on conflict (key_id) do nothing returning " + COLUMNS)) {
                ps.setString(1, keyId);
                ps.setString(2, tenant);
                ps.setString(3, name);
                ps.setString(4, secretSha256);
                ps.setArray(5, c.createArrayOf("text", roles.toArray()));
                ps.setArray(6, c.createArrayOf("text", scopes.toArray()));
                ps.setString(7, createdBy);
                ps.setTimestamp(8, expiresAt == null ? null : Timestamp.from(expiresAt));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(apiKey(rs)) : Optional.<ApiKey>empty();
                }
            }
        });
    }

    public List<ApiKey> list(String tenant, String afterKeyId, int limit) {
        return jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from api_key"
                    + " where tenant_id = ? and key_id > ? order by key_id limit ?")) {
                ps.setString(1, tenant);
                ps.setString(2, afterKeyId == null ? "" : afterKeyId);
                ps.setInt(3, limit);
                List<ApiKey> keys = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        keys.add(apiKey(rs));
                    }
                }
                return keys;
            }
        });
    }

    public Optional<ApiKey> find(String tenant, String keyId) {
        return jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from api_key"
                    + " where tenant_id = ? and key_id = ?")) {
                ps.setString(1, tenant);
                ps.setString(2, keyId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(apiKey(rs)) : Optional.<ApiKey>empty();
                }
            }
        });
    }

    /** Revokes a key (keeping the first revocation time); false when the tenant has no such key. */
    public boolean revoke(String tenant, String keyId) {
        return jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("update api_key set revoked_at = coalesce(revoked_at, now())"
                    + " where tenant_id = ? and key_id = ?")) {
                ps.setString(1, tenant);
                ps.setString(2, keyId);
                return ps.executeUpdate() > 0;
            }
        });
    }

    public Optional<StoredCredential> lookup(String keyId) {
        return jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("select key_id, tenant_id, secret_sha256, roles, scopes,"
                    + " expires_at, revoked_at, last_used_at, tenant_status from api_key_lookup(?)")) {
                ps.setString(1, keyId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<StoredCredential>empty();
                    }
                    return Optional.of(new StoredCredential(rs.getString(1), rs.getString(2), rs.getString(3),
                            strings(rs.getArray(4)), strings(rs.getArray(5)), instant(rs.getTimestamp(6)),
                            instant(rs.getTimestamp(7)), instant(rs.getTimestamp(8)), rs.getString(9)));
                }
            }
        });
    }

    /** Records use, at most once a minute per key so that verification rarely writes. Needs the key's tenant set. */
    public void touch(String keyId) {
        jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("update api_key set last_used_at = now() where key_id = ?"
                    + " and (last_used_at is null or last_used_at < now() - interval '1 minute')")) {
                ps.setString(1, keyId);
                return ps.executeUpdate();
            }
        });
    }

    /** Creates the tenant unless it exists (tenants carry no RLS). */
    public void ensureTenant(String tenant, String displayName, String createdBy) {
        jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into tenant (id, display_name, status, created_by)"
                    + " values (?, ?, 'active', ?) on conflict (id) do nothing")) {
                ps.setString(1, tenant);
                ps.setString(2, displayName);
                ps.setString(3, createdBy);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Makes a configured key exist with this hash, name and roles. A key id that exists with another
     * hash was rotated by the operator: its hash is replaced and any revocation lifted. The same
     * hash leaves the row alone, revocation included. Needs the tenant set on the transaction.
     */
    public void upsertConfigured(String keyId, String tenant, String name, String secretSha256, List<String> roles,
            String createdBy) {
        jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into api_key (key_id, tenant_id, name,"
                    + " secret_sha256, roles, created_by) values (?, ?, ?, ?, ?, ?)"
                    + " on conflict (key_id) do update set secret_sha256 = excluded.secret_sha256,"
                    + " name = excluded.name, roles = excluded.roles, revoked_at = null"
                    + " where api_key.secret_sha256 <> excluded.secret_sha256")) {
                ps.setString(1, keyId);
                ps.setString(2, tenant);
                ps.setString(3, name);
                ps.setString(4, secretSha256);
                ps.setArray(5, c.createArrayOf("text", roles.toArray()));
                ps.setString(6, createdBy);
                return ps.executeUpdate();
            }
        });
    }

    private static ApiKey apiKey(ResultSet rs) throws SQLException {
        return new ApiKey(rs.getString("key_id"), rs.getString("tenant_id"), rs.getString("name"),
                strings(rs.getArray("roles")), strings(rs.getArray("scopes")), rs.getString("created_by"),
                instant(rs.getTimestamp("created_at")), instant(rs.getTimestamp("expires_at")),
                instant(rs.getTimestamp("revoked_at")), instant(rs.getTimestamp("last_used_at")));
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : List.copyOf(Arrays.asList((String[]) array.getArray()));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private interface JdbcWork<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T jdbc(JdbcWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new IllegalStateException("api_key statement failed (SQL state " + e.getSQLState() + ")", e);
        }
    }
}
