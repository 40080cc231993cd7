package io.hotpass.lineage.marquez;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotpass.lineage.marquez.MarquezViews.DatasetId;
import io.hotpass.lineage.marquez.MarquezViews.DatasetList;
import io.hotpass.lineage.marquez.MarquezViews.DatasetVersionList;
import io.hotpass.lineage.marquez.MarquezViews.DatasetVersionRef;
import io.hotpass.lineage.marquez.MarquezViews.DatasetVersionView;
import io.hotpass.lineage.marquez.MarquezViews.DatasetView;
import io.hotpass.lineage.marquez.MarquezViews.JobId;
import io.hotpass.lineage.marquez.MarquezViews.JobList;
import io.hotpass.lineage.marquez.MarquezViews.JobVersionList;
import io.hotpass.lineage.marquez.MarquezViews.JobVersionView;
import io.hotpass.lineage.marquez.MarquezViews.JobView;
import io.hotpass.lineage.marquez.MarquezViews.NamespaceList;
import io.hotpass.lineage.marquez.MarquezViews.NamespaceView;
import io.hotpass.lineage.marquez.MarquezViews.RunList;
import io.hotpass.lineage.marquez.MarquezViews.RunView;
import io.hotpass.lineage.marquez.MarquezViews.SearchResult;
import io.hotpass.lineage.marquez.MarquezViews.SearchResultList;
import io.hotpass.lineage.marquez.MarquezViews.VersionId;
import io.hotpass.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Reads of the lineage model in Marquez's shapes. Every query names the tenant (row-level security
 * enforces it as well), so another tenant's namespace, job, run or dataset is simply not found.
 * Callers run it inside a tenanted transaction.
 */
@ApplicationScoped
public class MarquezReads {

    @Inject
    Instance<DataSource> dataSource;

    @Inject
    ObjectMapper mapper;

    public NamespaceList namespaces(String tenant, int limit, int offset) {
        return query(c -> {
            List<NamespaceView> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select name, created_at, updated_at, owner_name, description"
                    + " from lineage_namespace where tenant_id = ? order by name limit ? offset ?")) {
                ps.setString(1, tenant);
                ps.setInt(2, limit);
                ps.setInt(3, offset);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(namespace(rs));
                    }
                }
            }
            return new NamespaceList(out);
        });
    }

    public NamespaceView namespace(String tenant, String name) {
        return query(c -> requireNamespace(c, tenant, name));
    }

    private NamespaceView requireNamespace(Connection c, String tenant, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select name, created_at, updated_at, owner_name, description"
                + " from lineage_namespace where tenant_id = ? and name = ?")) {
            ps.setString(1, tenant);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ProblemException.notFound("namespace_not_found", "No namespace '" + name + "'");
                }
                return namespace(rs);
            }
        }
    }

    private static NamespaceView namespace(ResultSet rs) throws SQLException {
        return new NamespaceView(rs.getString(1), ts(rs, 2), ts(rs, 3), rs.getString(4), rs.getString(5), false);
    }

    // ---- jobs ----

    private static final String JOB_COLUMNS = "select id, namespace, name, type, description, location, facets::text,"
            + " current_version, latest_run_id, created_at, updated_at from lineage_job";

    public JobList jobs(String tenant, String namespace, int limit, int offset) {
        return query(c -> {
            requireNamespace(c, tenant, namespace);
            List<JobView> jobs = jobsWhere(c, tenant, JOB_COLUMNS + " where tenant_id = ? and namespace = ? order by name limit ? offset ?",
                    ps -> {
                        ps.setString(1, tenant);
                        ps.setString(2, namespace);
                        ps.setInt(3, limit);
                        ps.setInt(4, offset);
                    }, true);
            return new JobList(jobs, count(c, "select count(*) from lineage_job where tenant_id = ? and namespace = ?", tenant, namespace));
        });
    }

    public JobView job(String tenant, String namespace, String name) {
        return query(c -> requireJob(c, tenant, namespace, name));
    }

    private JobView requireJob(Connection c, String tenant, String namespace, String name) throws SQLException {
        List<JobView> jobs = jobsWhere(c, tenant, JOB_COLUMNS + " where tenant_id = ? and namespace = ? and name = ?", ps -> {
            ps.setString(1, tenant);
            ps.setString(2, namespace);
            ps.setString(3, name);
        }, true);
        if (jobs.isEmpty()) {
            throw ProblemException.notFound("job_not_found", "No job '" + name + "' in namespace '" + namespace + "'");
        }
        return jobs.get(0);
    }

    /** Jobs by node id, for the lineage graph (without their latest run, to keep large graphs light). */
    public Map<Long, JobView> jobsById(Connection c, String tenant, Collection<Long> ids) throws SQLException {
        Map<Long, JobView> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        List<Long> order = new ArrayList<>();
        List<JobView> jobs = jobsWhere(c, tenant, JOB_COLUMNS + " join unnest(?::bigint[]) as n(id) using (id) where tenant_id = ?",
                ps -> {
                    ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
                    ps.setString(2, tenant);
                }, false, order);
        for (int i = 0; i < jobs.size(); i++) {
            out.put(order.get(i), jobs.get(i));
        }
        return out;
    }

    private List<JobView> jobsWhere(Connection c, String tenant, String sql, Binder binder, boolean withLatestRun) throws SQLException {
        return jobsWhere(c, tenant, sql, binder, withLatestRun, new ArrayList<>());
    }

    private List<JobView> jobsWhere(Connection c, String tenant, String sql, Binder binder, boolean withLatestRun, List<Long> ids)
            throws SQLException {
        record Row(long id, String ns, String name, String type, String description, String location, JsonNode facets,
                UUID version, UUID latestRun, OffsetDateTime created, OffsetDateTime updated) {
        }
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), json(rs.getString(7)), rs.getObject(8, UUID.class), rs.getObject(9, UUID.class),
                            ts(rs, 10), ts(rs, 11)));
                }
            }
        }
        List<Long> jobIds = rows.stream().map(Row::id).toList();
        Map<Long, List<DatasetId>> inputs = new HashMap<>();
        Map<Long, List<DatasetId>> outputs = new HashMap<>();
        if (!jobIds.isEmpty()) {
            // join unnest(...) rather than "= any(array)": the planner then probes the edge index per
            // job instead of filtering every edge of the tenant against the array.
            try (PreparedStatement ps = c.prepareStatement("select e.dst, 'I', d.namespace, d.name from unnest(?::bigint[]) j(id)"
                    + " join lineage_edge e on e.tenant_id = ? and e.dst = j.id"
                    + " join lineage_dataset d on d.id = e.src and d.tenant_id = e.tenant_id"
                    + " union all select e.src, 'O', d.namespace, d.name from unnest(?::bigint[]) j(id)"
                    + " join lineage_edge e on e.tenant_id = ? and e.src = j.id"
                    + " join lineage_dataset d on d.id = e.dst and d.tenant_id = e.tenant_id order by 3, 4")) {
                ps.setArray(1, c.createArrayOf("bigint", jobIds.toArray()));
                ps.setString(2, tenant);
                ps.setArray(3, c.createArrayOf("bigint", jobIds.toArray()));
                ps.setString(4, tenant);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long job = rs.getLong(1);
                        ("I".equals(rs.getString(2)) ? inputs : outputs).computeIfAbsent(job, k -> new ArrayList<>())
                                .add(new DatasetId(rs.getString(3), rs.getString(4)));
                    }
                }
            }
        }
        Map<UUID, RunView> latest = withLatestRun
                ? runs(c, tenant, rows.stream().map(Row::latestRun).filter(java.util.Objects::nonNull).toList())
                : Map.of();
        List<JobView> out = new ArrayList<>();
        for (Row r : rows) {
            ids.add(r.id());
            out.add(new JobView(new JobId(r.ns(), r.name()), r.type(), r.name(), simpleName(r.name()), null, r.created(),
                    r.updated(), r.ns(), inputs.getOrDefault(r.id(), List.of()), outputs.getOrDefault(r.id(), List.of()),
                    r.location(), r.description(), r.latestRun() == null ? null : latest.get(r.latestRun()), r.facets(),
                    r.version()));
        }
        return out;
    }

    private static String simpleName(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(dot + 1);
    }

    public JobVersionList jobVersions(String tenant, String namespace, String job, int limit, int offset) {
        return query(c -> {
            JobView j = requireJob(c, tenant, namespace, job);
            List<JobVersionView> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select v.version, v.created_at, v.inputs::text, v.outputs::text,"
                    + " v.location from lineage_job_version v join lineage_job j on j.id = v.job_id and j.tenant_id = v.tenant_id"
                    + " where v.tenant_id = ? and j.namespace = ? and j.name = ? order by v.created_at desc limit ? offset ?")) {
                ps.setString(1, tenant);
                ps.setString(2, namespace);
                ps.setString(3, job);
                ps.setInt(4, limit);
                ps.setInt(5, offset);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        UUID v = rs.getObject(1, UUID.class);
                        out.add(new JobVersionView(new VersionId(namespace, job, v), job, v, ts(rs, 2), namespace,
                                datasetIds(rs.getString(3)), datasetIds(rs.getString(4)), rs.getString(5)));
                    }
                }
            }
            return new JobVersionList(out, out.size() < limit && offset == 0 ? out.size()
                    : count(c, "select count(*) from lineage_job_version v join lineage_job j on j.id = v.job_id"
                            + " where v.tenant_id = ? and j.namespace = ? and j.name = ?", tenant, namespace, j.name()));
        });
    }

    private List<DatasetId> datasetIds(String json) {
        List<DatasetId> out = new ArrayList<>();
        json(json).forEach(n -> out.add(new DatasetId(n.path("namespace").asText(), n.path("name").asText())));
        return out;
    }

    // ---- runs ----

    public RunList runs(String tenant, String namespace, String job, int limit, int offset) {
        return query(c -> {
            requireJob(c, tenant, namespace, job);
            List<UUID> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select r.id from lineage_run r join lineage_job j on j.id = r.job_id"
                    + " and j.tenant_id = r.tenant_id where r.tenant_id = ? and j.namespace = ? and j.name = ?"
                    + " order by r.created_at desc, r.id limit ? offset ?")) {
                ps.setString(1, tenant);
                ps.setString(2, namespace);
                ps.setString(3, job);
                ps.setInt(4, limit);
                ps.setInt(5, offset);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getObject(1, UUID.class));
                    }
                }
            }
            Map<UUID, RunView> runs = runs(c, tenant, ids);
            return new RunList(ids.stream().map(runs::get).toList(), count(c, "select count(*) from lineage_run r join lineage_job j"
                    + " on j.id = r.job_id and j.tenant_id = r.tenant_id where r.tenant_id = ? and j.namespace = ? and j.name = ?",
                    tenant, namespace, job));
        });
    }

    public RunView run(String tenant, UUID id) {
        return query(c -> {
            RunView run = runs(c, tenant, List.of(id)).get(id);
            if (run == null) {
                throw ProblemException.notFound("run_not_found", "No run " + id);
            }
            return run;
        });
    }

    /** Runs by id with their input and output dataset versions, in two queries whatever their number. */
    public Map<UUID, RunView> runs(Connection c, String tenant, List<UUID> ids) throws SQLException {
        Map<UUID, RunView> out = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        Map<UUID, List<DatasetVersionRef>> inputs = new HashMap<>();
        Map<UUID, List<DatasetVersionRef>> outputs = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select x.run_id, x.direction, d.namespace, d.name, x.dataset_version,"
                + " x.facets::text from lineage_run_io x join lineage_dataset d on d.id = x.dataset_id and d.tenant_id = x.tenant_id"
                + " where x.tenant_id = ? and x.run_id = any(?) order by d.namespace, d.name")) {
            ps.setString(1, tenant);
            ps.setArray(2, c.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID run = rs.getObject(1, UUID.class);
                    ("I".equals(rs.getString(2)) ? inputs : outputs).computeIfAbsent(run, k -> new ArrayList<>())
                            .add(new DatasetVersionRef(new VersionId(rs.getString(3), rs.getString(4), rs.getObject(5, UUID.class)),
                                    json(rs.getString(6))));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("select r.id, r.created_at, r.updated_at, r.nominal_start_time,"
                + " r.nominal_end_time, r.state, r.started_at, r.ended_at, r.job_version, j.namespace, j.name, r.facets::text"
                + " from lineage_run r join lineage_job j on j.id = r.job_id and j.tenant_id = r.tenant_id"
                + " where r.tenant_id = ? and r.id = any(?)")) {
            ps.setString(1, tenant);
            ps.setArray(2, c.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    OffsetDateTime started = ts(rs, 7);
                    OffsetDateTime ended = ts(rs, 8);
                    UUID jobVersion = rs.getObject(9, UUID.class);
                    out.put(id, new RunView(id, ts(rs, 2), ts(rs, 3), ts(rs, 4), ts(rs, 5), rs.getString(6), started, ended,
                            started != null && ended != null ? Duration.between(started, ended).toMillis() : null, Map.of(),
                            jobVersion == null ? null : new VersionId(rs.getString(10), rs.getString(11), jobVersion),
                            inputs.getOrDefault(id, List.of()), outputs.getOrDefault(id, List.of()), Map.of(),
                            json(rs.getString(12))));
                }
            }
        }
        return out;
    }

    // ---- datasets ----

    private static final String DATASET_COLUMNS = "select d.id, d.namespace, d.name, d.type, d.description, d.fields::text,"
            + " d.facets::text, d.current_version, d.last_modified_at, d.created_at, d.updated_at,"
            + " (select v.lifecycle_state from lineage_dataset_version v where v.tenant_id = d.tenant_id"
            + " and v.id = d.current_version) from lineage_dataset d";

    public DatasetList datasets(String tenant, String namespace, int limit, int offset) {
        return query(c -> {
            requireNamespace(c, tenant, namespace);
            List<DatasetView> out = datasetsWhere(c, DATASET_COLUMNS + " where d.tenant_id = ? and d.namespace = ?"
                    + " order by d.name limit ? offset ?", ps -> {
                        ps.setString(1, tenant);
                        ps.setString(2, namespace);
                        ps.setInt(3, limit);
                        ps.setInt(4, offset);
                    }, null);
            return new DatasetList(out, count(c, "select count(*) from lineage_dataset where tenant_id = ? and namespace = ?",
                    tenant, namespace));
        });
    }

    public DatasetView dataset(String tenant, String namespace, String name) {
        return query(c -> requireDataset(c, tenant, namespace, name));
    }

    private DatasetView requireDataset(Connection c, String tenant, String namespace, String name) throws SQLException {
        List<DatasetView> out = datasetsWhere(c, DATASET_COLUMNS + " where d.tenant_id = ? and d.namespace = ? and d.name = ?",
                ps -> {
                    ps.setString(1, tenant);
                    ps.setString(2, namespace);
                    ps.setString(3, name);
                }, null);
        if (out.isEmpty()) {
            throw ProblemException.notFound("dataset_not_found", "No dataset '" + name + "' in namespace '" + namespace + "'");
        }
        return out.get(0);
    }

    /** Datasets by node id, for the lineage graph. */
    public Map<Long, DatasetView> datasetsById(Connection c, String tenant, Collection<Long> ids) throws SQLException {
        Map<Long, DatasetView> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        List<Long> order = new ArrayList<>();
        List<DatasetView> views = datasetsWhere(c, DATASET_COLUMNS + " join unnest(?::bigint[]) as n(id) on d.id = n.id"
                + " where d.tenant_id = ?", ps -> {
                    ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
                    ps.setString(2, tenant);
                }, order);
        for (int i = 0; i < views.size(); i++) {
            out.put(order.get(i), views.get(i));
        }
        return out;
    }

    private List<DatasetView> datasetsWhere(Connection c, String sql, Binder binder, List<Long> ids) throws SQLException {
        List<DatasetView> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (ids != null) {
                        ids.add(rs.getLong(1));
                    }
                    String ns = rs.getString(2);
                    String name = rs.getString(3);
                    out.add(new DatasetView(new DatasetId(ns, name), rs.getString(4), name, name, ts(rs, 10), ts(rs, 11), ns, ns,
                            json(rs.getString(6)), List.of(), ts(rs, 9), rs.getString(12), rs.getString(5), json(rs.getString(7)),
                            rs.getObject(8, UUID.class), false));
                }
            }
        }
        return out;
    }

    public DatasetVersionList datasetVersions(String tenant, String namespace, String name, int limit, int offset) {
        return query(c -> {
            DatasetView d = requireDataset(c, tenant, namespace, name);
            record Row(UUID id, OffsetDateTime created, JsonNode fields, JsonNode facets, String lifecycle, UUID run) {
            }
            List<Row> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select v.id, v.created_at, v.fields::text, v.facets::text,"
                    + " v.lifecycle_state, v.run_id from lineage_dataset_version v join lineage_dataset d on d.id = v.dataset_id"
                    + " and d.tenant_id = v.tenant_id where v.tenant_id = ? and d.namespace = ? and d.name = ?"
                    + " order by v.created_at desc, v.id limit ? offset ?")) {
                ps.setString(1, tenant);
                ps.setString(2, namespace);
                ps.setString(3, name);
                ps.setInt(4, limit);
                ps.setInt(5, offset);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new Row(rs.getObject(1, UUID.class), ts(rs, 2), json(rs.getString(3)), json(rs.getString(4)),
                                rs.getString(5), rs.getObject(6, UUID.class)));
                    }
                }
            }
            Map<UUID, RunView> runs = runs(c, tenant, rows.stream().map(Row::run).filter(java.util.Objects::nonNull).distinct().toList());
            List<DatasetVersionView> out = rows.stream().map(r -> new DatasetVersionView(new VersionId(namespace, name, r.id()),
                    d.type(), name, name, r.created(), r.id(), namespace, namespace, r.fields(), List.of(), r.lifecycle(),
                    d.description(), r.run() == null ? null : runs.get(r.run()), r.facets())).toList();
            return new DatasetVersionList(out, count(c, "select count(*) from lineage_dataset_version v join lineage_dataset d"
                    + " on d.id = v.dataset_id and d.tenant_id = v.tenant_id where v.tenant_id = ? and d.namespace = ? and d.name = ?",
                    tenant, namespace, name));
        });
    }

    // ---- search ----

    public SearchResultList search(String tenant, String q, String filter, String sort, int limit) {
        return query(c -> {
            String pattern = "%" + q.toLowerCase().replace("\\", "\\\\") + "%";
            String order = "updated_at".equalsIgnoreCase(sort) || "UPDATE_AT".equalsIgnoreCase(sort) ? "updated_at desc, name" : "name";
            boolean datasets = filter == null || "dataset".equalsIgnoreCase(filter);
            boolean jobs = filter == null || "job".equalsIgnoreCase(filter);
            StringBuilder sql = new StringBuilder("select * from (");
            if (datasets) {
                sql.append("select 'DATASET' as type, name, updated_at, namespace from lineage_dataset where tenant_id = ?"
                        + " and lower(name) like ?");
            }
            if (jobs) {
                sql.append(datasets ? " union all " : "").append("select 'JOB', name, updated_at, namespace from lineage_job"
                        + " where tenant_id = ? and lower(name) like ?");
            }
            sql.append(") r order by ").append(order).append(" limit ?");
            List<SearchResult> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int i = 1;
                for (int k = 0; k < (datasets && jobs ? 2 : 1); k++) {
                    ps.setString(i++, tenant);
                    ps.setString(i++, pattern);
                }
                ps.setInt(i, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String type = rs.getString(1);
                        out.add(new SearchResult(type, rs.getString(2), ts(rs, 3), rs.getString(4),
                                type.toLowerCase() + ":" + rs.getString(4) + ":" + rs.getString(2)));
                    }
                }
            }
            return new SearchResultList(out.size(), out);
        });
    }

    // ---- plumbing ----

    interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    public interface Query<T> {
        T run(Connection c) throws SQLException;
    }

    public <T> T query(Query<T> q) {
        try (Connection c = dataSource.get().getConnection()) {
            return q.run(c);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the lineage model", e);
        }
    }

    private static long count(Connection c, String sql, String... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public JsonNode json(String s) {
        try {
            return s == null ? mapper.nullNode() : mapper.readTree(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static OffsetDateTime ts(ResultSet rs, int i) throws SQLException {
        return rs.getObject(i, OffsetDateTime.class);
    }
}
