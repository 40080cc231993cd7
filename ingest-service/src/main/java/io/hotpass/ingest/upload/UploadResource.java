package io.hotpass.ingest.upload;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotpass.ingest.run.RunView;
import io.hotpass.ingest.runner.StagedUploads;
import io.hotpass.platform.auth.CallerContext;
import io.hotpass.platform.problem.ProblemException;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code POST /datasets/{id}/uploads}: a file as the request body, streamed into a new version. */
@Path("/datasets/{id}/uploads")
@Tag(name = "uploads")
public class UploadResource {

    static final String FILE_NAME_HEADER = "X-File-Name";
    static final String XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    @Inject
    UploadService uploads;

    @Inject
    StagedUploads staged;

    @Inject
    CallerContext callerContext;

    @Inject
    ObjectMapper json;

    @POST
    @Blocking
    @Consumes({"text/csv", "text/plain", "application/csv", "application/x-ndjson", "application/jsonl",
            "application/octet-stream", XLSX_TYPE})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Upload a CSV, NDJSON or XLSX file as a new version",
            description = "The body is the file. Parsed while it arrives; rows are written with COPY and become a version"
                    + " in one transaction. A byte-identical re-upload answers the current version (200)."
                    + " ?preview=true answers the inferred mapping and sample rows without storing. XLSX: the"
                    + " first sheet, or ?sheet=<name>; the file is spooled to disk, then read a row at a time."
                    + " ?async=true stages the file in the database and answers 202 at once with the run's Location;"
                    + " a runner (in-process, or a Kubernetes Job) then parses it exactly as a synchronous upload would.")
    @APIResponse(responseCode = "201", description = "Stored as a new version; Location and ETag of the dataset set")
    @APIResponse(responseCode = "202", description = "async=true: staged and queued; Location is the run (/runs/{id}), which reports progress and, once stored, the version")
    @APIResponse(responseCode = "200", description = "Byte-identical to the current version (deduplicated), or a preview")
    @APIResponse(responseCode = "400", description = "validation_failed (mode, delimiter, encoding, mapping, X-File-Name, async), invalid_encoding, malformed_csv, upload_interrupted")
    @APIResponse(responseCode = "404", description = "dataset_not_found")
    @APIResponse(responseCode = "409", description = "run_interrupted: the run was failed as interrupted while this upload was still arriving (its process paused too long); nothing was stored, send it again")
    @APIResponse(responseCode = "412", description = "precondition_failed (If-Match given and the dataset moved on)")
    @APIResponse(responseCode = "413", description = "field_too_large, payload_too_large")
    @APIResponse(responseCode = "422", description = "invalid_xlsx, sheet_not_found, empty_file, no_rows, duplicate_columns, too_many_columns, no_columns_mapped, row_key_unmapped, row_key_required")
    public Response upload(@PathParam("id") UUID id,
            @QueryParam("mode") @DefaultValue("backfill") String mode,
            @QueryParam("delimiter") String delimiter,
            @QueryParam("encoding") String encoding,
            @QueryParam("sheet") String sheet,
            @QueryParam("preview") @DefaultValue("false") boolean preview,
            @QueryParam("async") @DefaultValue("false") boolean async,
            @QueryParam("mapping") String mappingParam,
            @HeaderParam("X-Mapping") String mappingHeader,
            @HeaderParam(FILE_NAME_HEADER) String fileName,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            InputStream body) {
        if (!UploadOptions.BACKFILL.equals(mode) && !UploadOptions.INCREMENTAL.equals(mode)) {
            throw ProblemException.badRequest("mode", "must be backfill or incremental");
        }
        checkFileName(fileName);
        String ct = contentType == null ? "" : contentType.toLowerCase(java.util.Locale.ROOT);
        String name = fileName == null ? "" : fileName.toLowerCase(java.util.Locale.ROOT);
        boolean octets = ct.startsWith("application/octet-stream");
        String format = ct.contains("ndjson") || ct.contains("jsonl")
                || (octets && (name.endsWith(".ndjson") || name.endsWith(".jsonl"))) ? UploadOptions.NDJSON
                : ct.startsWith(XLSX_TYPE) || (octets && name.endsWith(".xlsx")) ? UploadOptions.XLSX
                : UploadOptions.CSV;
        if (!UploadOptions.XLSX.equals(format) && sheet != null) {
            throw ProblemException.badRequest("sheet", "only XLSX uploads have sheets");
        }
        // The encoding: ?encoding=, else a charset in Content-Type, else detected (UTF-8 or Windows-1252).
        String declared = encoding != null ? encoding : charset(contentType);
        UploadOptions o = new UploadOptions(mode, format, delimiter, declared, preview,
                mapping(mappingParam != null ? mappingParam : mappingHeader), fileName,
                contentLength == null ? -1 : contentLength, ifMatch, sheet);
        String tenant = callerContext.tenant();
        if (async) {
            if (preview) {
                throw ProblemException.badRequest("async", "a preview answers at once; it cannot be asynchronous");
            }
            RunView run = staged.accept(tenant, callerContext.subject(), id, o, body);
            return Response.accepted(run).location(URI.create("/runs/" + run.id()))
                    .header("Hotpass-Run-Id", run.id().toString()).type(MediaType.APPLICATION_JSON).build();
        }
        if (preview) {
            return Response.ok(uploads.preview(tenant, id, o, body)).build();
        }
        UploadResult r = uploads.upload(tenant, callerContext.subject(), id, o, body);
        Response.ResponseBuilder b = r.deduplicated() ? Response.ok()
                : Response.created(URI.create("/datasets/" + id + "/versions/" + r.version().number()));
        return b.tag("v" + r.version().number()).header("Hotpass-Run-Id", r.runId().toString())
                .type(MediaType.APPLICATION_JSON).entity(r).build();
    }

    private static String charset(String contentType) {
        if (contentType == null) {
            return null;
        }
        try {
            return MediaType.valueOf(contentType).getParameters().get(MediaType.CHARSET_PARAMETER);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The file name is recorded with the version and named in its lineage: a name, not a path. Path
     * separators, control characters and names over 255 characters are refused, never rewritten.
     */
    static void checkFileName(String fileName) {
        if (fileName == null) {
            return;
        }
        String reason = null;
        if (fileName.isBlank() || fileName.equals(".") || fileName.equals("..")) {
            reason = "must be a file name";
        } else if (fileName.length() > 255) {
            reason = "must be at most 255 characters";
        } else if (fileName.indexOf('/') >= 0 || fileName.indexOf('\\') >= 0) {
            reason = "must be a file name without a path";
        } else if (fileName.chars().anyMatch(Character::isISOControl)) {
            reason = "must not contain control characters";
        }
        if (reason != null) {
            throw ProblemException.badRequest(FILE_NAME_HEADER, reason);
        }
    }

    private Map<String, String> mapping(String raw) {
        if (raw == null || raw.isBlank()) {
            return Map.of();
        }
        try {
            Map<String, String> m = json.readValue(raw, new TypeReference<LinkedHashMap<String, String>>() {
            });
            return m;
        } catch (Exception e) {
            throw new ProblemException(400, "validation_failed", "Request validation failed",
                    "mapping: must be a JSON object of source column to profile field (or null)")
                    .with("errors", List.of(Map.of("field", "mapping", "reason", "not a JSON object of strings")));
        }
    }
}
