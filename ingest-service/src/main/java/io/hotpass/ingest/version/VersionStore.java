package io.hotpass.ingest.version;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotpass.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * SQL shared by everything that makes or reads versions. Every method runs on a connection in the
 * caller's transaction with the tenant already applied, and also filters by tenant explicitly.
 */
@ApplicationScoped
public class VersionStore {

    @Inject
    ObjectMapper json;

    /** Reads the dataset, locking its row when {@code lock} (version numbers are assigned under it). */
    public DatasetRef dataset(Connection c, String tenant, UUID id, boolean lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select name, profile, row_key, current_version from dataset"
                + " where tenant_id = ? and id = ?" + (lock ? " for update" : ""))) {
            ps.setString(1, tenant);
            ps.setObject(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ProblemException.notFound("dataset_not_found", "No dataset " + id);
                }
                Array a = rs.getArray(3);
                List<String> key = a == null ? List.of() : List.of((String[]) a.getArray());
                return new DatasetRef(id, tenant, rs.getString(1), rs.getString(2), key, rs.getInt(4));
            }
        }
    }

    /** Records version {@code number} and moves the dataset's current version to it. */
    public void insert(Connection c, DatasetRef d, int number, String kind, String contentSha256, long rowCount,
            long added, long removed, long changed, long quarantined, Object columns, Object mapping, Object source,
            UUID runId, String createdBy) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into dataset_version (tenant_id, dataset_id, number, parent,"
                + " content_sha256, row_count, rows_added, rows_removed, rows_changed, rows_quarantined, columns, mapping,"
                + " source, kind, run_id, created_by) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?, ?)")) {
            ps.setString(1, d.tenant());
            ps.setObject(2, d.id());
            ps.setInt(3, number);
            ps.setObject(4, d.currentVersion() == 0 ? null : d.currentVersion());
            ps.setString(5, contentSha256);
            ps.setLong(6, rowCount);
            ps.setLong(7, added);
            ps.setLong(8, removed);
            ps.setLong(9, changed);
            ps.setLong(10, quarantined);
            ps.setString(11, write(columns));
            ps.setString(12, write(mapping));
            ps.setString(13, write(source));
            ps.setString(14, kind);
            ps.setObject(15, runId);
            ps.setString(16, createdBy);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "update dataset set current_version = ?, updated_at = now() where tenant_id = ? and id = ?")) {
            ps.setInt(1, number);
            ps.setString(2, d.tenant());
            ps.setObject(3, d.id());
            ps.executeUpdate();
        }
    }

    public long rowCount(Connection c, DatasetRef d, int version) throws SQLException {
        if (version == 0) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "select row_count from dataset_version where tenant_id = ? and dataset_id = ? and number = ?")) {
            ps.setString(1, d.tenant());
            ps.setObject(2, d.id());
            ps.setInt(3, version);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    public VersionView get(Connection c, String tenant, UUID dataset, int number) throws SQLException {
        List<VersionView> l = list(c, tenant, dataset, number, number, 1);
        if (l.isEmpty()) {
            throw ProblemException.notFound("version_not_found", "Dataset " + dataset + " has no version " + number);
        }
        return l.get(0);
    }

    /** Versions with numbers in [from, to], newest first, at most {@code limit}. */
    public List<VersionView> list(Connection c, String tenant, UUID dataset, int from, int to, int limit)
            throws SQLException {
        List<VersionView> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select number, parent, kind, status, row_count, rows_added,"
                + " rows_removed, rows_changed, rows_quarantined, content_sha256, columns::text, mapping::text, source::text,"
                + " run_id, created_at, created_by from dataset_version where tenant_id = ? and dataset_id = ?"
                + " and number between ? and ? order by number desc limit ?")) {
            ps.setString(1, tenant);
            ps.setObject(2, dataset);
            ps.setInt(3, from);
            ps.setInt(4, to);
            ps.setInt(5, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new VersionView(rs.getInt(1), (Integer) rs.getObject(2), rs.getString(3), rs.getString(4),
                            rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getString(10),
                            read(rs.getString(11)), read(rs.getString(12)), read(rs.getString(13)),
                            rs.getString(14), rs.getTimestamp(15).toInstant().atOffset(ZoneOffset.UTC), rs.getString(16)));
                }
            }
        }
        return out;
    }

    /** The last version created at or before {@code at} (the current one when null); 404 when there is none. */
    public int versionAt(Connection c, String tenant, UUID dataset, java.time.OffsetDateTime at) throws SQLException {
        DatasetRef d = dataset(c, tenant, dataset, false);
        if (at == null) {
            if (d.currentVersion() == 0) {
                throw ProblemException.notFound("version_not_found", "Dataset " + dataset + " has no version yet");
            }
            return d.currentVersion();
        }
        try (PreparedStatement ps = c.prepareStatement("select max(number) from dataset_version where tenant_id = ?"
                + " and dataset_id = ? and created_at <= ?")) {
            ps.setString(1, tenant);
            ps.setObject(2, dataset);
            ps.setObject(3, at);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                int n = rs.getInt(1);
                if (rs.wasNull()) {
                    throw ProblemException.notFound("version_not_found", "Dataset " + dataset + " had no version at " + at);
                }
                return n;
            }
        }
    }

    /** The current version when its content hash and mapping equal these (a byte-identical re-upload), else null. */
    public Integer sameContent(Connection c, DatasetRef d, String sha256, Object mapping) throws SQLException {
        if (d.currentVersion() == 0) {
            return null;
        }
        try (PreparedStatement ps = c.prepareStatement("select number from dataset_version where tenant_id = ?"
                + " and dataset_id = ? and number = ? and content_sha256 = ? and mapping = ?::jsonb")) {
            ps.setString(1, d.tenant());
            ps.setObject(2, d.id());
            ps.setInt(3, d.currentVersion());
            ps.setString(4, sha256);
            ps.setString(5, write(mapping));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : null;
            }
        }
    }

    public String write(Object o) {
        try {
            return o instanceof String s ? s : json.writeValueAsString(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    JsonNode read(String s) {
        try {
            return s == null ? null : json.readTree(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
