package io.hotpass.platform.idempotency;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.hotpass.platform.problem.ErrorCode;
import io.hotpass.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * {@code Idempotency-Key} for creating POSTs. Call {@link #execute} inside the resource's
 * transaction: the key's record is inserted first, the action runs, and the response is stored in
 * the same transaction, so the created resource and its replayable response commit together.
 * A retry with the same key and body replays the stored response (with
 * {@code Idempotent-Replayed: true}); the same key with another body is 422
 * {@code idempotency_key_reused}; a concurrent duplicate waits on the key's row and then replays.
 */
@ApplicationScoped
public class IdempotentRequests {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    private static final Pattern VALID_KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");

    @Inject
    Instance<DataSource> dataSource;

    private final ObjectMapper canonical;

    @Inject
    public IdempotentRequests(ObjectMapper mapper) {
        this.canonical = mapper.copy().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
                .configure(com.fasterxml.jackson.databind.MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true);
    }

    /**
     * Runs {@code action} once per (tenant, scope, key). {@code scope} names the operation
     * (e.g. {@code POST /datasets}); {@code request} is the parsed body, hashed canonically.
     */
    public Response execute(String key, String tenant, String scope, Object request, Supplier<Response> action) {
        if (key == null) {
            return action.get();
        }
        if (!VALID_KEY.matcher(key).matches()) {
            throw ProblemException.badRequest(HEADER, "must be 1-255 visible ASCII characters");
        }
        String hash = hash(scope, request);
        try (Connection c = dataSource.get().getConnection()) {
            try (PreparedStatement ins = c.prepareStatement("insert into idempotency_record"
                    + " (tenant_id, scope, idem_key, request_hash) values (?, ?, ?, ?) on conflict do nothing")) {
                ins.setString(1, tenant);
                ins.setString(2, scope);
                ins.setString(3, key);
                ins.setString(4, hash);
                if (ins.executeUpdate() == 0) {
                    return replay(c, tenant, scope, key, hash);
                }
            }
            Response response = action.get();
            store(c, tenant, scope, key, response);
            return response;
        } catch (SQLException e) {
            throw new IllegalStateException("Idempotency record could not be written", e);
        }
    }

    private Response replay(Connection c, String tenant, String scope, String key, String hash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select request_hash, status, content_type, location, etag,"
                + " body from idempotency_record where tenant_id = ? and scope = ? and idem_key = ?")) {
            ps.setString(1, tenant);
            ps.setString(2, scope);
            ps.setString(3, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getObject(2) == null) {
                    throw new ProblemException(ErrorCode.IDEMPOTENCY_IN_PROGRESS,
                            "A request with this Idempotency-Key has not finished; retry shortly")
                            .header("Retry-After", "1");
                }
                if (!hash.equals(rs.getString(1))) {
                    throw new ProblemException(ErrorCode.IDEMPOTENCY_KEY_REUSED,
                            "This Idempotency-Key was used with a different request body");
                }
                Response.ResponseBuilder b = Response.status(rs.getInt(2)).header(REPLAYED_HEADER, "true");
                if (rs.getString(3) != null) {
                    b.type(rs.getString(3));
                }
                if (rs.getString(4) != null) {
                    b.header(HttpHeaders.LOCATION, rs.getString(4));
                }
                if (rs.getString(5) != null) {
                    b.header(HttpHeaders.ETAG, rs.getString(5));
                }
                if (rs.getString(6) != null) {
                    b.entity(rs.getString(6));
                }
                return b.build();
            }
        }
    }

    private void store(Connection c, String tenant, String scope, String key, Response response) throws SQLException {
        String body = null;
        if (response.hasEntity()) {
            try {
                body = response.getEntity() instanceof String s ? s : canonical.writeValueAsString(response.getEntity());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("Response not serialisable for idempotency replay", e);
            }
        }
        MediaType type = response.getMediaType();
        try (PreparedStatement ps = c.prepareStatement("update idempotency_record set status = ?, content_type = ?,"
                + " location = ?, etag = ?, body = ?, completed_at = now()"
                + " where tenant_id = ? and scope = ? and idem_key = ?")) {
            ps.setInt(1, response.getStatus());
            ps.setString(2, type == null ? (body == null ? null : MediaType.APPLICATION_JSON) : type.toString());
            ps.setString(3, response.getLocation() == null ? null : response.getLocation().toString());
            ps.setString(4, response.getHeaderString(HttpHeaders.ETAG));
            ps.setString(5, body);
            ps.setString(6, tenant);
            ps.setString(7, scope);
            ps.setString(8, key);
            ps.executeUpdate();
        }
    }

    String hash(String scope, Object request) {
        try {
            byte[] json = canonical.writeValueAsBytes(request);
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(scope.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(json);
            return HexFormat.of().formatHex(md.digest());
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
