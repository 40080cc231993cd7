package io.hotpass.ingest.version;

import io.hotpass.platform.http.Cursors;
import io.hotpass.platform.auth.CallerContext;
import io.hotpass.platform.problem.ProblemException;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Versions of a dataset, their rows (streamed or paged), quarantine and exports. */
@Path("/datasets/{id}")
@Tag(name = "versions")
public class VersionResource {

    public static final String NDJSON = "application/x-ndjson";
    public static final String CSV = "text/csv";
    public static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    @Inject
    CallerContext callerContext;

    @Inject
    TenantJdbc jdbc;

    @Inject
    VersionStore versions;

    @Inject
    RowService rows;

    @GET
    @Path("/versions")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "List versions", description = "Newest first, cursor paged.")
    @APIResponse(responseCode = "200", description = "A page of versions")
    @APIResponse(responseCode = "400", description = "validation_failed (limit, cursor)")
    @APIResponse(responseCode = "404", description = "dataset_not_found")
    public Map<String, Object> list(@PathParam("id") UUID id,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit, @QueryParam("cursor") String cursor) {
        String tenant = callerContext.tenant();
        int before = cursor == null ? Integer.MAX_VALUE : Cursors.decode(cursor, 1, p -> Integer.parseInt(p[0]));
        List<VersionView> page = jdbc.inTransaction(tenant, c -> {
            versions.dataset(c, tenant, id, false);
            return versions.list(c, tenant, id, 1, before - 1, limit + 1);
        });
        Map<String, Object> out = new LinkedHashMap<>();
        List<VersionView> items = new ArrayList<>(page.subList(0, Math.min(limit, page.size())));
        out.put("items", items);
        out.put("nextCursor", page.size() > limit ? Cursors.encode(items.get(items.size() - 1).number()) : null);
        return out;
    }

    @GET
    @Path("/versions/{n}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Get a version", description = "Immutable; ETag \"v<n>\".")
    @APIResponse(responseCode = "200", description = "The version")
    @APIResponse(responseCode = "404", description = "dataset_not_found, version_not_found")
    public Response get(@PathParam("id") UUID id, @PathParam("n") int n) {
        VersionView v = rows.version(callerContext.tenant(), id, n);
        return Response.ok(v).tag("v" + n).build();
    }

    @GET
    @Path("/versions/{n}/rows")
    @Produces({MediaType.APPLICATION_JSON, NDJSON, CSV})
    @Operation(summary = "Read the rows of a version",
            description = "Accept: application/x-ndjson or text/csv streams every row (ordered by row id);"
                    + " application/json answers a cursor-paged page. ?format=ndjson|csv|json overrides Accept."
                    + " Each row carries _rowId, stable across versions.")
    @APIResponse(responseCode = "200", description = "Rows")
    @APIResponse(responseCode = "400", description = "validation_failed (limit, cursor, format)")
    @APIResponse(responseCode = "404", description = "dataset_not_found, version_not_found")
    public Response rows(@PathParam("id") UUID id, @PathParam("n") int n, @QueryParam("format") String format,
            @HeaderParam(HttpHeaders.ACCEPT) String accept,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit, @QueryParam("cursor") String cursor) {
        return read(id, n, format, accept, limit, cursor, false);
    }

    @GET
    @Path("/rows")
    @Produces({MediaType.APPLICATION_JSON, NDJSON, CSV})
    @Operation(summary = "Read the rows of the current version, or as of a point in time",
            description = "?asOf=<ISO-8601 instant> reads the last version created at or before it; without it, the"
                    + " current version. Same formats as /versions/{n}/rows; Hotpass-Version names the version read.")
    @APIResponse(responseCode = "200", description = "Rows")
    @APIResponse(responseCode = "400", description = "validation_failed (asOf, limit, cursor, format)")
    @APIResponse(responseCode = "404", description = "dataset_not_found, version_not_found (no version by then)")
    public Response rowsAsOf(@PathParam("id") UUID id, @QueryParam("asOf") String asOf, @QueryParam("format") String format,
            @HeaderParam(HttpHeaders.ACCEPT) String accept,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit, @QueryParam("cursor") String cursor) {
        String tenant = callerContext.tenant();
        java.time.OffsetDateTime at = null;
        if (asOf != null) {
            try {
                at = java.time.OffsetDateTime.parse(asOf);
            } catch (java.time.format.DateTimeParseException e) {
                throw ProblemException.badRequest("asOf", "must be an ISO-8601 date-time with offset, e.g. 2026-11-26T10:00:00Z");
            }
        }
        java.time.OffsetDateTime when = at;
        int n = jdbc.inTransaction(tenant, c -> versions.versionAt(c, tenant, id, when));
        return Response.fromResponse(read(id, n, format, accept, limit, cursor, false)).header("Hotpass-Version", n).build();
    }

    @GET
    @Path("/versions/{n}/export")
    @Produces({NDJSON, CSV})
    @Operation(summary = "Export a version as a file",
            description = "?format=csv (default), xlsx or ndjson; CSV and XLSX text cells beginning with = + - @ tab or CR are prefixed with a quote.")
    @APIResponse(responseCode = "200", description = "The file, with Content-Disposition")
    @APIResponse(responseCode = "400", description = "validation_failed (format)")
    @APIResponse(responseCode = "404", description = "dataset_not_found, version_not_found")
    public Response export(@PathParam("id") UUID id, @PathParam("n") int n,
            @QueryParam("format") @DefaultValue("csv") String format) {
        return read(id, n, format, null, 0, null, true);
    }

    @GET
    @Path("/versions/{n}/quarantine")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Rows of an upload that were quarantined",
            description = "Each entry: line, field, raw value, reason code and the raw row; paged by line.")
    @APIResponse(responseCode = "200", description = "A page of quarantine entries")
    @APIResponse(responseCode = "404", description = "dataset_not_found, version_not_found")
    public Map<String, Object> quarantine(@PathParam("id") UUID id, @PathParam("n") int n,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit, @QueryParam("cursor") String cursor) {
        return rows.quarantine(callerContext.tenant(), id, n, limit, cursor);
    }

    private Response read(UUID id, int n, String format, String accept, int limit, String cursor, boolean download) {
        String tenant = callerContext.tenant();
        String f = format != null ? format.toLowerCase(java.util.Locale.ROOT)
                : accept != null && accept.contains(NDJSON) ? "ndjson"
                : accept != null && accept.contains(CSV) ? "csv" : "json";
        if (!List.of("json", "ndjson", "csv", "xlsx").contains(f) || (download && f.equals("json"))
                || (!download && f.equals("xlsx"))) {
            throw ProblemException.badRequest("format", download ? "must be csv, xlsx or ndjson"
                    : "must be json, ndjson or csv");
        }
        if (f.equals("json")) {
            return Response.ok(rows.page(tenant, id, n, limit, cursor), MediaType.APPLICATION_JSON).build();
        }
        VersionView v = rows.version(tenant, id, n); // 404 before the stream starts
        StreamingOutput body;
        List<String> columns = new ArrayList<>();
        v.columns().forEach(col -> columns.add(col.get("name").asText()));
        String type;
        if (f.equals("ndjson")) {
            body = os -> rows.ndjson(tenant, id, n, os);
            type = NDJSON;
        } else if (f.equals("xlsx")) {
            body = os -> rows.xlsx(tenant, id, n, columns, os);
            type = XLSX;
        } else {
            body = os -> rows.csv(tenant, id, n, columns, os);
            type = CSV + "; charset=UTF-8";
        }
        Response.ResponseBuilder b = Response.ok(body, type).tag("v" + n);
        if (download) {
            b.header("Content-Disposition", "attachment; filename=\"" + id + "-v" + n + "." + f + "\"");
        }
        return b.build();
    }
}
