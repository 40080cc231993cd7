package io.hotpass.lineage.graph;

import io.hotpass.lineage.graph.GraphViews.Edge;
import io.hotpass.lineage.graph.GraphViews.FieldData;
import io.hotpass.lineage.graph.GraphViews.Graph;
import io.hotpass.lineage.graph.GraphViews.InputField;
import io.hotpass.lineage.graph.GraphViews.Node;
import io.hotpass.lineage.marquez.MarquezReads;
import io.hotpass.lineage.marquez.MarquezViews.DatasetVersionRef;
import io.hotpass.lineage.marquez.MarquezViews.DatasetView;
import io.hotpass.lineage.marquez.MarquezViews.JobView;
import io.hotpass.lineage.marquez.MarquezViews.RunView;
import io.hotpass.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Lineage graph queries. Jobs and datasets are nodes of one id space and {@code lineage_edge} holds
 * dataset→job (read) and job→dataset (wrote) edges, so upstream and downstream are each one
 * recursive CTE over an indexed edge table, answered in a single round trip. The walk is bounded by
 * depth and by a node limit, and a node already reached at the same depth is not expanded again,
 * so cycles terminate.
 *
 * <p>Depth counts jobs, as in Marquez: depth 1 from a dataset gives the jobs that read or wrote it
 * and their datasets; the edge walk therefore goes 2 × depth edges each way.
 */
@ApplicationScoped
public class LineageGraph {

    @Inject
    MarquezReads reads;

    @Inject
    GraphLimits limits;

    public Graph lineage(String tenant, String rawNodeId, int depth) {
        NodeId nodeId = NodeId.parse(rawNodeId, "nodeId");
        checkDepth(depth);
        return reads.query(c -> {
            Set<Long> up = new LinkedHashSet<>();
            Set<Long> down = new LinkedHashSet<>();
            RunView run = null;
            Long runJob = null;
            switch (nodeId.type()) {
                case "dataset" -> {
                    long id = resolve(c, tenant, "lineage_dataset", nodeId, "dataset_not_found");
                    up.add(id);
                    down.add(id);
                }
                case "job" -> {
                    long id = resolve(c, tenant, "lineage_job", nodeId, "job_not_found");
                    up.add(id);
                    down.add(id);
                }
                case "run" -> {
                    run = reads.runs(c, tenant, List.of(nodeId.runId())).get(nodeId.runId());
                    if (run == null) {
                        throw ProblemException.notFound("run_not_found", "No run " + nodeId.runId());
                    }
                    runJob = runJobAndDatasets(c, tenant, nodeId.runId(), up, down);
                }
                default -> throw ProblemException.badRequest("nodeId", "use /api/v1/column-lineage for datasetField nodes");
            }
            Set<Long> nodes = walk(c, tenant, up, down, 2 * depth);
            if (runJob != null) {
                nodes.add(runJob);
            }
            return assemble(c, tenant, nodes, run);
        });
    }

    /** Node ids reached from the seeds: upstream against the edges, downstream along them. */
    Set<Long> walk(Connection c, String tenant, Collection<Long> upSeeds, Collection<Long> downSeeds, int edgeDepth)
            throws SQLException {
        Set<Long> nodes = new LinkedHashSet<>(upSeeds);
        nodes.addAll(downSeeds);
        try (PreparedStatement ps = c.prepareStatement("with recursive"
                + " up(node, depth) as (select unnest(?::bigint[]), 0 union"
                + "   select e.src, u.depth + 1 from up u join lineage_edge e on e.tenant_id = ? and e.dst = u.node"
                + "   where u.depth < ?),"
                + " down(node, depth) as (select unnest(?::bigint[]), 0 union"
                + "   select e.dst, d.depth + 1 from down d join lineage_edge e on e.tenant_id = ? and e.src = d.node"
                + "   where d.depth < ?)"
                + " select node from up union all select node from down limit ?")) {
            ps.setArray(1, c.createArrayOf("bigint", upSeeds.toArray()));
            ps.setString(2, tenant);
            ps.setInt(3, edgeDepth);
            ps.setArray(4, c.createArrayOf("bigint", downSeeds.toArray()));
            ps.setString(5, tenant);
            ps.setInt(6, edgeDepth);
            // (node, depth) pairs may repeat a node; twice the node limit leaves room for that.
            ps.setInt(7, limits.maxNodes() * 2);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next() && nodes.size() < limits.maxNodes()) {
                    nodes.add(rs.getLong(1));
                }
            }
        }
        return nodes;
    }

    /** The node and everything upstream of it to an edge depth (for PROV ancestry). */
    public Set<Long> upstream(Connection c, String tenant, long node, int edgeDepth) throws SQLException {
        return walk(c, tenant, List.of(node), List.of(), edgeDepth);
    }

    private Graph assemble(Connection c, String tenant, Set<Long> nodes, RunView run) throws SQLException {
        Map<Long, JobView> jobs = reads.jobsById(c, tenant, nodes);
        Map<Long, DatasetView> datasets = reads.datasetsById(c, tenant, nodes);
        Map<Long, String> ids = new HashMap<>();
        jobs.forEach((k, j) -> ids.put(k, NodeId.job(j.namespace(), j.name())));
        datasets.forEach((k, d) -> ids.put(k, NodeId.dataset(d.namespace(), d.name())));
        Map<String, List<Edge>> in = new HashMap<>();
        Map<String, List<Edge>> out = new HashMap<>();
        if (!nodes.isEmpty()) {
            // Out-edges of every node (one index probe each); the ones leaving the node set are dropped here.
            try (PreparedStatement ps = c.prepareStatement("select e.src, e.dst from unnest(?::bigint[]) as n(id)"
                    + " join lineage_edge e on e.tenant_id = ? and e.src = n.id order by e.src, e.dst")) {
                ps.setArray(1, c.createArrayOf("bigint", nodes.toArray()));
                ps.setString(2, tenant);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (nodes.contains(rs.getLong(2))) {
                            addEdge(in, out, ids.get(rs.getLong(1)), ids.get(rs.getLong(2)));
                        }
                    }
                }
            }
        }
        Map<String, Object[]> graph = new LinkedHashMap<>();
        for (Long n : nodes) {
            if (jobs.containsKey(n)) {
                graph.put(ids.get(n), new Object[] {"JOB", jobs.get(n)});
            } else if (datasets.containsKey(n)) {
                graph.put(ids.get(n), new Object[] {"DATASET", datasets.get(n)});
            }
        }
        if (run != null) {
            String runNode = NodeId.run(run.id());
            for (DatasetVersionRef i : run.inputDatasetVersions()) {
                addEdge(in, out, NodeId.dataset(i.datasetVersionId().namespace(), i.datasetVersionId().name()), runNode);
            }
            for (DatasetVersionRef o : run.outputDatasetVersions()) {
                addEdge(in, out, runNode, NodeId.dataset(o.datasetVersionId().namespace(), o.datasetVersionId().name()));
            }
            graph.put(runNode, new Object[] {"RUN", run});
        }
        List<Node> result = new ArrayList<>();
        graph.forEach((id, v) -> result.add(new Node(id, (String) v[0], v[1], in.getOrDefault(id, List.of()),
                out.getOrDefault(id, List.of()))));
        return new Graph(result);
    }

    private static void addEdge(Map<String, List<Edge>> in, Map<String, List<Edge>> out, String origin, String destination) {
        if (origin == null || destination == null) {
            return;
        }
        Edge e = new Edge(origin, destination);
        out.computeIfAbsent(origin, k -> new ArrayList<>()).add(e);
        in.computeIfAbsent(destination, k -> new ArrayList<>()).add(e);
    }

    private long runJobAndDatasets(Connection c, String tenant, UUID runId, Set<Long> up, Set<Long> down) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select direction, dataset_id from lineage_run_io"
                + " where tenant_id = ? and run_id = ?")) {
            ps.setString(1, tenant);
            ps.setObject(2, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ("I".equals(rs.getString(1)) ? up : down).add(rs.getLong(2));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("select job_id from lineage_run where tenant_id = ? and id = ?")) {
            ps.setString(1, tenant);
            ps.setObject(2, runId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Finds the job or dataset a node id names, trying each way its colons can split it. */
    public long resolve(Connection c, String tenant, String table, NodeId nodeId, String notFound) throws SQLException {
        List<String[]> splits = nodeId.splits();
        try (PreparedStatement ps = c.prepareStatement("select t.id from " + table + " t join unnest(?::text[], ?::text[])"
                + " as s(n, m) on t.namespace = s.n and t.name = s.m where t.tenant_id = ? order by length(t.namespace) limit 1")) {
            ps.setArray(1, c.createArrayOf("text", splits.stream().map(s -> s[0]).toArray()));
            ps.setArray(2, c.createArrayOf("text", splits.stream().map(s -> s[1]).toArray()));
            ps.setString(3, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ProblemException.notFound(notFound, "No " + nodeId.type() + " " + nodeId.type() + ":" + nodeId.rest());
                }
                return rs.getLong(1);
            }
        }
    }

    private void checkDepth(int depth) {
        if (depth < 0 || depth > limits.maxDepth()) {
            throw ProblemException.badRequest("depth", "must be between 0 and " + limits.maxDepth());
        }
    }

    // ---- column lineage ----

    record Field(long dataset, String field) {
    }

    /**
     * Column lineage from a field ({@code datasetField:ns:ds:field}) or from every field of a dataset
     * ({@code dataset:ns:ds}): upstream always, downstream when asked, to the given depth.
     */
    public Graph columnLineage(String tenant, String rawNodeId, int depth, boolean withDownstream) {
        NodeId nodeId = NodeId.parse(rawNodeId, "nodeId");
        checkDepth(depth);
        return reads.query(c -> {
            List<Field> seeds = new ArrayList<>();
            switch (nodeId.type()) {
                case "dataset" -> {
                    long ds = resolve(c, tenant, "lineage_dataset", nodeId, "dataset_not_found");
                    try (PreparedStatement ps = c.prepareStatement("select field from lineage_column_edge where tenant_id = ?"
                            + " and dataset_id = ? union select input_field from lineage_column_edge where tenant_id = ?"
                            + " and input_dataset_id = ?")) {
                        ps.setString(1, tenant);
                        ps.setLong(2, ds);
                        ps.setString(3, tenant);
                        ps.setLong(4, ds);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                seeds.add(new Field(ds, rs.getString(1)));
                            }
                        }
                    }
                }
                case "datasetField" -> {
                    int last = nodeId.rest().lastIndexOf(':');
                    NodeId datasetId = new NodeId("dataset", nodeId.rest().substring(0, last));
                    if (datasetId.splits().isEmpty()) {
                        throw ProblemException.badRequest("nodeId", "must be datasetField:<namespace>:<dataset>:<field>");
                    }
                    long ds = resolve(c, tenant, "lineage_dataset", datasetId, "dataset_not_found");
                    seeds.add(new Field(ds, nodeId.rest().substring(last + 1)));
                }
                default -> throw ProblemException.badRequest("nodeId", "must be dataset:<ns>:<name> or datasetField:<ns>:<name>:<field>");
            }
            Set<Field> fields = new LinkedHashSet<>(seeds);
            if (!seeds.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("with recursive"
                        + " up(ds, f, depth) as (select * from unnest(?::bigint[], ?::text[], ?::int[]) union"
                        + "   select e.input_dataset_id, e.input_field, u.depth + 1 from up u join lineage_column_edge e"
                        + "   on e.tenant_id = ? and e.dataset_id = u.ds and e.field = u.f where u.depth < ?),"
                        + " down(ds, f, depth) as (select * from unnest(?::bigint[], ?::text[], ?::int[]) union"
                        + "   select e.dataset_id, e.field, d.depth + 1 from down d join lineage_column_edge e"
                        + "   on e.tenant_id = ? and e.input_dataset_id = d.ds and e.input_field = d.f where d.depth < ?)"
                        + " select ds, f from up union all select ds, f from down limit ?")) {
                    Object[] ds = seeds.stream().map(Field::dataset).toArray();
                    Object[] fs = seeds.stream().map(Field::field).toArray();
                    Object[] zeros = seeds.stream().map(s -> 0).toArray();
                    ps.setArray(1, c.createArrayOf("bigint", ds));
                    ps.setArray(2, c.createArrayOf("text", fs));
                    ps.setArray(3, c.createArrayOf("integer", zeros));
                    ps.setString(4, tenant);
                    ps.setInt(5, depth);
                    ps.setArray(6, c.createArrayOf("bigint", withDownstream ? ds : new Object[0]));
                    ps.setArray(7, c.createArrayOf("text", withDownstream ? fs : new Object[0]));
                    ps.setArray(8, c.createArrayOf("integer", withDownstream ? zeros : new Object[0]));
                    ps.setString(9, tenant);
                    ps.setInt(10, depth);
                    ps.setInt(11, limits.maxNodes() * 2);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next() && fields.size() < limits.maxNodes()) {
                            fields.add(new Field(rs.getLong(1), rs.getString(2)));
                        }
                    }
                }
            }
            return assembleFields(c, tenant, fields);
        });
    }

    private Graph assembleFields(Connection c, String tenant, Set<Field> fields) throws SQLException {
        Set<Long> datasetIds = new LinkedHashSet<>();
        fields.forEach(f -> datasetIds.add(f.dataset()));
        Map<Long, DatasetView> datasets = reads.datasetsById(c, tenant, datasetIds);
        Map<Field, List<Object[]>> inputsOf = new HashMap<>();
        if (!datasetIds.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("select dataset_id, field, input_dataset_id, input_field,"
                    + " transformation_description, transformation_type from lineage_column_edge where tenant_id = ?"
                    + " and dataset_id = any(?) order by input_dataset_id, input_field")) {
                ps.setString(1, tenant);
                ps.setArray(2, c.createArrayOf("bigint", datasetIds.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Field out = new Field(rs.getLong(1), rs.getString(2));
                        Field in = new Field(rs.getLong(3), rs.getString(4));
                        if (fields.contains(out) && fields.contains(in)) {
                            inputsOf.computeIfAbsent(out, k -> new ArrayList<>())
                                    .add(new Object[] {in, rs.getString(5), rs.getString(6)});
                        }
                    }
                }
            }
        }
        Map<String, List<Edge>> in = new HashMap<>();
        Map<String, List<Edge>> out = new HashMap<>();
        List<Node> nodes = new ArrayList<>();
        for (Field f : fields) {
            DatasetView d = datasets.get(f.dataset());
            if (d == null) {
                continue;
            }
            String id = NodeId.field(d.namespace(), d.name(), f.field());
            List<InputField> inputFields = new ArrayList<>();
            String desc = null;
            String type = null;
            for (Object[] i : inputsOf.getOrDefault(f, List.of())) {
                Field src = (Field) i[0];
                DatasetView sd = datasets.get(src.dataset());
                inputFields.add(new InputField(sd.namespace(), sd.name(), null, src.field(), (String) i[1], (String) i[2]));
                addEdge(in, out, NodeId.field(sd.namespace(), sd.name(), src.field()), id);
                desc = desc == null ? (String) i[1] : desc;
                type = type == null ? (String) i[2] : type;
            }
            String fieldType = null;
            for (var n : d.fields()) {
                if (f.field().equals(n.path("name").asText())) {
                    fieldType = n.path("type").isNull() ? null : n.path("type").asText(null);
                }
            }
            nodes.add(new Node(id, "DATASET_FIELD", new FieldData(d.namespace(), d.name(),
                    d.currentVersion() == null ? null : d.currentVersion().toString(), f.field(), fieldType, desc, type,
                    inputFields), null, null));
        }
        return new Graph(nodes.stream().map(n -> new Node(n.id(), n.type(), n.data(), in.getOrDefault(n.id(), List.of()),
                out.getOrDefault(n.id(), List.of()))).toList());
    }
}
