package io.hotpass.ingest.version;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hotpass.ingest.lineage.LineageEvents;
import io.hotpass.ingest.normalise.Normalisers;
import io.hotpass.ingest.profile.Profile;
import io.hotpass.ingest.profile.Profiles;
import io.hotpass.platform.http.ETags;
import io.hotpass.platform.outbox.Outbox;
import io.hotpass.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Versions made without a file: change sets (how enrichment commits land), restores and diffs.
 * Callers run it inside a {@code @Transactional @Tenanted} method; the JDBC here uses that
 * transaction's connection.
 */
@ApplicationScoped
public class ChangeService {

    @Inject
    DataSource dataSource;

    @Inject
    VersionStore versions;

    @Inject
    Profiles profiles;

    @Inject
    Outbox outbox;

    @Inject
    ObjectMapper mapper;

    /** Applies a change set as version current+1; {@code If-Match} is required (428) and must be current (412). */
    public VersionView apply(String tenant, String subject, UUID id, String ifMatch, ChangeSetRequest req) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            DatasetRef d = versions.dataset(c, tenant, id, true);
            ETags.checkIfMatch(ifMatch, d.etag(), true);
            Profile profile = profiles.get(d.profile());
            int n = d.currentVersion() + 1;
            Set<String> seen = new HashSet<>();
            long added = 0;
            long changed = 0;
            long removed = 0;
            Set<String> touchedFields = new HashSet<>();
            try (PreparedStatement find = c.prepareStatement("select data::text, row_hash from dataset_row where tenant_id = ?"
                    + " and dataset_id = ? and row_id = ? and valid_to is null for update");
                    PreparedStatement end = c.prepareStatement("update dataset_row set valid_to = ? where tenant_id = ?"
                            + " and dataset_id = ? and row_id = ? and valid_to is null");
                    PreparedStatement ins = c.prepareStatement("insert into dataset_row (tenant_id, dataset_id, row_id,"
                            + " valid_from, row_hash, data) values (?, ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < req.changes().size(); i++) {
                    ChangeSetRequest.Change ch = req.changes().get(i);
                    String at = "changes[" + i + "]";
                    if (!seen.add(ch.rowId())) {
                        throw ProblemException.badRequest(at + ".rowId", "names a row already changed in this change set");
                    }
                    find.setString(1, tenant);
                    find.setObject(2, id);
                    find.setString(3, ch.rowId());
                    String oldData = null;
                    String oldHash = null;
                    try (ResultSet rs = find.executeQuery()) {
                        if (rs.next()) {
                            oldData = rs.getString(1);
                            oldHash = rs.getString(2);
                        }
                    }
                    if (ch.op().equals("delete")) {
                        if (oldData == null) {
                            throw new ProblemException(422, "row_not_found", "Row not found",
                                    at + ".rowId: no current row " + ch.rowId())
                                    .with("errors", List.of(Map.of("field", at + ".rowId", "reason", "no current row")));
                        }
                        endRow(end, n, tenant, id, ch.rowId());
                        removed++;
                        continue;
                    }
                    if (ch.values() == null || ch.values().isEmpty()) {
                        throw ProblemException.badRequest(at + ".values", "an upsert needs values");
                    }
                    ObjectNode row = oldData == null ? mapper.createObjectNode() : (ObjectNode) mapper.readTree(oldData);
                    for (Map.Entry<String, Object> e : ch.values().entrySet()) {
                        Profile.Field f = profile.field(e.getKey()).orElseThrow(() -> ProblemException.badRequest(
                                at + ".values." + e.getKey(), "is not a field of profile " + profile.name()));
                        Object raw = e.getValue();
                        com.fasterxml.jackson.databind.JsonNode current = row.get(f.name());
                        if (raw != null && current != null && !current.isNull() && !current.isContainerNode()
                                && current.asText().equals(String.valueOf(raw))) {
                            // Unchanged: whole-row upserts (enrichment, merges) repeat the stored value,
                            // which was accepted when it was stored (normalised, or kept raw and flagged).
                            continue;
                        }
                        if (raw == null) {
                            row.putNull(f.name());
                        } else {
                            Normalisers.Result r = Normalisers.normalise(f, String.valueOf(raw), profile.defaultRegion());
                            if (!r.ok()) {
                                throw new ProblemException(422, "invalid_value", "Invalid value",
                                        at + ".values." + f.name() + ": " + r.reason())
                                        .with("errors", List.of(Map.of("field", at + ".values." + f.name(), "reason", r.reason())));
                            }
                            row.set(f.name(), mapper.valueToTree(r.value()));
                        }
                        touchedFields.add(f.name());
                    }
                    String json = canonical(profile, row);
                    String hash = hash(json);
                    if (hash.equals(oldHash)) {
                        continue;
                    }
                    if (oldData != null) {
                        endRow(end, n, tenant, id, ch.rowId());
                        changed++;
                    } else {
                        added++;
                    }
                    ins.setString(1, tenant);
                    ins.setObject(2, id);
                    ins.setString(3, ch.rowId());
                    ins.setInt(4, n);
                    ins.setString(5, hash);
                    ins.setString(6, json);
                    ins.addBatch();
                }
                ins.executeBatch();
            }
            long rowCount = versions.rowCount(c, d, d.currentVersion()) + added - removed;
            VersionView prev = d.currentVersion() == 0 ? null : versions.get(c, tenant, id, d.currentVersion());
            List<Object> columns = new ArrayList<>();
            Set<String> have = new HashSet<>();
            if (prev != null) {
                prev.columns().forEach(col -> {
                    columns.add(col);
                    have.add(col.get("name").asText());
                });
            }
            for (Profile.Field f : profile.fields()) {
                if (touchedFields.contains(f.name()) && !have.contains(f.name())) {
                    columns.add(Map.of("name", f.name(), "type", f.type()));
                }
            }
            Map<String, Object> source = new LinkedHashMap<>();
            source.put("kind", req.source() == null || req.source().kind() == null ? "change-set" : req.source().kind());
            source.put("ref", req.source() == null ? null : req.source().ref());
            source.put("changes", req.changes().size());
            String sha = sha256(mapper.copy().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
                    .writeValueAsString(req));
            UUID runId = UUID.randomUUID();
            versions.insert(c, d, n, "changeset", sha, rowCount, added, removed, changed, 0, columns,
                    prev == null ? List.of() : prev.mapping(), source, runId, subject);
            lineage(c, tenant, d.name(), runId, "changeset", n, columns, rowCount);
            return versions.get(c, tenant, id, n);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Makes a new version whose rows equal those of {@code version}; only rows that differ are written. */
    public VersionView restore(String tenant, String subject, UUID id, String ifMatch, int version) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            DatasetRef d = versions.dataset(c, tenant, id, true);
            ETags.checkIfMatch(ifMatch, d.etag(), false);
            VersionView old;
            try {
                old = versions.get(c, tenant, id, version);
            } catch (ProblemException e) {
                throw new ProblemException(422, "version_not_found", "Version not found",
                        "version: dataset has no version " + version)
                        .with("errors", List.of(Map.of("field", "version", "reason", "no such version")));
            }
            int n = d.currentVersion() + 1;
            String inOld = "o.tenant_id = ? and o.dataset_id = ? and o.valid_from <= ? and (o.valid_to is null or o.valid_to > ?)";
            long ended = exec(c, "update dataset_row d set valid_to = ? where d.tenant_id = ? and d.dataset_id = ?"
                    + " and d.valid_to is null and not exists (select 1 from dataset_row o where " + inOld
                    + " and o.row_id = d.row_id and o.row_hash = d.row_hash)", n, tenant, id, tenant, id, version, version);
            long inserted = exec(c, "insert into dataset_row (tenant_id, dataset_id, row_id, valid_from, row_hash, data)"
                    + " select o.tenant_id, o.dataset_id, o.row_id, ?, o.row_hash, o.data from dataset_row o where " + inOld
                    + " and not exists (select 1 from dataset_row d where d.tenant_id = ? and d.dataset_id = ?"
                    + " and d.valid_to is null and d.row_id = o.row_id)", n, tenant, id, version, version, tenant, id);
            long changed = count(c, "select count(*) from dataset_row d where d.tenant_id = ? and d.dataset_id = ?"
                    + " and d.valid_from = ? and exists (select 1 from dataset_row o where o.tenant_id = d.tenant_id"
                    + " and o.dataset_id = d.dataset_id and o.valid_to = ? and o.row_id = d.row_id)", tenant, id, n, n);
            UUID runId = UUID.randomUUID();
            versions.insert(c, d, n, "restore", old.contentSha256(), old.rowCount(), inserted - changed, ended - changed,
                    changed, 0, old.columns(), old.mapping(), Map.of("restoredFrom", version), runId, subject);
            List<Object> columns = new ArrayList<>();
            old.columns().forEach(columns::add);
            lineage(c, tenant, d.name(), runId, "restore", n, columns, old.rowCount());
            return versions.get(c, tenant, id, n);
        }
    }

    /** Rows added, removed and changed (with field-level changes) from one version to another. */
    public Map<String, Object> diff(String tenant, UUID id, int from, int to, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            versions.dataset(c, tenant, id, false);
            for (int v : new int[] {from, to}) {
                if (v != 0) {
                    versions.get(c, tenant, id, v);
                }
            }
            String rowsOf = "(select row_id, row_hash, data from dataset_row where tenant_id = ? and dataset_id = ?"
                    + " and valid_from <= ? and (valid_to is null or valid_to > ?))";
            String join = " from " + rowsOf + " a full outer join " + rowsOf + " b on a.row_id = b.row_id"
                    + " where a.row_hash is distinct from b.row_hash";
            Object[] args = {tenant, id, from, from, tenant, id, to, to};
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("from", from);
            out.put("to", to);
            try (PreparedStatement ps = c.prepareStatement("select count(*) filter (where a.row_id is null),"
                    + " count(*) filter (where b.row_id is null), count(*) filter (where a.row_id is not null and b.row_id is not null)"
                    + join)) {
                bind(ps, args);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    out.put("added", rs.getLong(1));
                    out.put("removed", rs.getLong(2));
                    out.put("changed", rs.getLong(3));
                }
            }
            List<Map<String, Object>> items = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select coalesce(a.row_id, b.row_id), a.data::text, b.data::text"
                    + join + " order by 1 limit ?")) {
                bind(ps, args);
                ps.setInt(args.length + 1, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("rowId", rs.getString(1));
                        JsonNode a = rs.getString(2) == null ? null : mapper.readTree(rs.getString(2));
                        JsonNode b = rs.getString(3) == null ? null : mapper.readTree(rs.getString(3));
                        m.put("change", a == null ? "added" : b == null ? "removed" : "changed");
                        if (a != null && b != null) {
                            List<Map<String, Object>> fields = new ArrayList<>();
                            Set<String> names = new java.util.TreeSet<>();
                            a.fieldNames().forEachRemaining(names::add);
                            b.fieldNames().forEachRemaining(names::add);
                            for (String f : names) {
                                JsonNode x = a.get(f);
                                JsonNode y = b.get(f);
                                if (x == null ? y != null : !x.equals(y)) {
                                    Map<String, Object> fc = new LinkedHashMap<>();
                                    fc.put("field", f);
                                    fc.put("from", x);
                                    fc.put("to", y);
                                    fields.add(fc);
                                }
                            }
                            m.put("fields", fields);
                        } else {
                            m.put("row", a == null ? b : a);
                        }
                        items.add(m);
                    }
                }
            }
            out.put("items", items);
            out.put("truncated", items.size() == limit);
            return out;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void lineage(Connection c, String tenant, String dataset, UUID runId, String kind, int n, List<Object> columns,
            long rowCount) throws SQLException {
        List<String> fields = columns.stream().map(o -> o instanceof JsonNode j ? j.get("name").asText()
                : String.valueOf(((Map<?, ?>) o).get("name"))).toList();
        outbox.enqueue(c, UUID.randomUUID(), "lineage", "RunEvent", tenant,
                LineageEvents.runEvent("START", runId, tenant, kind, dataset, null, null, null, null, null));
        outbox.enqueue(c, UUID.randomUUID(), "lineage", "RunEvent", tenant,
                LineageEvents.runEvent("COMPLETE", runId, tenant, kind, dataset, null, n, fields, rowCount, null));
    }

    /** The row's JSON in profile field order (as uploads write it), so equal content hashes equal. */
    private String canonical(Profile profile, ObjectNode row) throws com.fasterxml.jackson.core.JsonProcessingException {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Profile.Field f : profile.fields()) {
            if (row.has(f.name())) {
                m.put(f.name(), row.get(f.name()));
            }
        }
        for (Iterator<String> it = row.fieldNames(); it.hasNext();) {
            String name = it.next();
            if (!m.containsKey(name) && !name.equals("_flags")) {
                m.put(name, row.get(name));
            }
        }
        return mapper.writeValueAsString(m);
    }

    private static void endRow(PreparedStatement end, int n, String tenant, UUID id, String rowId) throws SQLException {
        end.setInt(1, n);
        end.setString(2, tenant);
        end.setObject(3, id);
        end.setString(4, rowId);
        end.executeUpdate();
    }

    static String hash(String json) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8)), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void bind(PreparedStatement ps, Object[] args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }

    private static long exec(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeLargeUpdate();
        }
    }

    private static long count(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
