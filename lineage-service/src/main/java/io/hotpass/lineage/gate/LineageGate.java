package io.hotpass.lineage.gate;

import io.hotpass.lineage.marquez.MarquezReads;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/**
 * The publish gate's lineage question: was this dataset version written by a run that completed?
 * A version is named by the producer's own version label (the OpenLineage {@code version} facet,
 * e.g. a Hotpass dataset version number) or by the lineage version UUID.
 */
@ApplicationScoped
public class LineageGate {

    @Inject
    MarquezReads reads;

    public record Reason(String code, String detail) {
    }

    public record GateAnswer(boolean pass, List<Reason> reasons) {
    }

    public GateAnswer check(String tenant, String namespace, String dataset, String version) {
        return reads.query(c -> {
            List<Reason> reasons = new ArrayList<>();
            boolean recorded = false;
            try (PreparedStatement ps = c.prepareStatement("select r.state, r.id, j.namespace, j.name, r.ended_at"
                    + " from lineage_dataset d join lineage_dataset_version v on v.dataset_id = d.id and v.tenant_id = d.tenant_id"
                    + " left join lineage_run r on r.id = v.run_id and r.tenant_id = v.tenant_id"
                    + " left join lineage_job j on j.id = r.job_id and j.tenant_id = r.tenant_id"
                    + " where d.tenant_id = ? and d.namespace = ? and d.name = ? and (v.version_label = ? or v.id::text = ?)"
                    + " order by (r.state = 'COMPLETED') desc nulls last, r.ended_at desc nulls last")) {
                ps.setString(1, tenant);
                ps.setString(2, namespace);
                ps.setString(3, dataset);
                ps.setString(4, version);
                ps.setString(5, version.toLowerCase());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        recorded = true;
                        String state = rs.getString(1);
                        String run = rs.getString(2);
                        if ("COMPLETED".equals(state)) {
                            return new GateAnswer(true, List.of(new Reason("lineage_recorded", "Version " + version
                                    + " was written by run " + run + " of job " + rs.getString(3) + ":" + rs.getString(4)
                                    + ", completed at " + rs.getObject(5, java.time.OffsetDateTime.class))));
                        }
                        reasons.add(state == null
                                ? new Reason("no_producing_run", "Version " + version + " is recorded without a run")
                                : new Reason("run_not_completed", "Run " + run + " that writes version " + version
                                        + " is " + state));
                    }
                }
            }
            if (!recorded) {
                reasons.add(new Reason("lineage_missing", "No lineage is recorded for version " + version + " of "
                        + namespace + ":" + dataset));
            }
            return new GateAnswer(false, reasons);
        });
    }
}
