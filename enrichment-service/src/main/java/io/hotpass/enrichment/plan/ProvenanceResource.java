package io.hotpass.enrichment.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotpass.platform.auth.CallerContext;
import io.hotpass.platform.tenancy.Tenanted;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /datasets/{id}/rows/{key}/provenance}: for each field of a row that a committed plan
 * changed, the most recent such plan, the version it produced, and the evidence the reviewer
 * approved. Fields not listed carry their uploaded value (or one from before enrichment).
 */
@Path("/datasets/{datasetId}/rows/{rowId}/provenance")
@Tag(name = "plans")
@Produces(MediaType.APPLICATION_JSON)
public class ProvenanceResource {

    /** Where one field's current value came from. */
    public record FieldProvenance(String value, String source, UUID planId, String planKind, Integer version,
            OffsetDateTime committedAt, BigDecimal confidence, JsonNode evidence) {
    }

    /** A row's provenance. */
    public record RowProvenance(UUID datasetId, String rowId, Map<String, FieldProvenance> fields,
            FieldProvenance deleted, String otherFields) {
    }

    @Inject
    CallerContext callerContext;

    @Inject
    DataSource dataSource;

    @Inject
    ObjectMapper mapper;

    @GET
    @Transactional
    @Tenanted
    @Operation(summary = "Where each field of a row came from", description = "Fields changed by committed plans,"
            + " most recent first per field, with the approved evidence; other fields are as uploaded.")
    @APIResponse(responseCode = "200", description = "The row's provenance (fields empty when no plan changed it)")
    @APIResponse(responseCode = "401", description = "unauthenticated")
    public RowProvenance get(@PathParam("datasetId") UUID datasetId, @PathParam("rowId") String rowId) {
        Map<String, FieldProvenance> fields = new LinkedHashMap<>();
        FieldProvenance deleted = null;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("select distinct on"
                + " (coalesce(ch.field, '')) ch.field, ch.op, ch.new_value, ch.confidence, ch.evidence::text, p.id,"
                + " p.kind, p.committed_version, p.updated_at from plan_change ch join enrichment_plan p"
                + " on p.id = ch.plan_id and p.tenant_id = ch.tenant_id where ch.tenant_id = ? and p.dataset_id = ?"
                + " and ch.row_id = ? and p.status = 'committed' and ch.decision = 'approved'"
                + " order by coalesce(ch.field, ''), p.committed_version desc, ch.seq desc")) {
            ps.setString(1, callerContext.tenant());
            ps.setObject(2, datasetId);
            ps.setString(3, rowId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    FieldProvenance f = new FieldProvenance(rs.getString(3), rs.getString(7) + "-plan",
                            rs.getObject(6, UUID.class), rs.getString(7), (Integer) rs.getObject(8),
                            rs.getObject(9, OffsetDateTime.class), rs.getBigDecimal(4), mapper.readTree(rs.getString(5)));
                    if ("delete".equals(rs.getString(2))) {
                        deleted = f;
                    } else {
                        fields.put(rs.getString(1), f);
                    }
                }
            }
        } catch (SQLException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("could not read provenance", e);
        }
        return new RowProvenance(datasetId, rowId, fields, deleted, "upload (or a value from before enrichment)");
    }
}
