package io.hotpass.ingest.runner;

import io.hotpass.ingest.run.RunService;
import io.hotpass.ingest.run.RunView;
import io.hotpass.ingest.upload.UploadOptions;
import io.hotpass.ingest.upload.UploadService;
import io.hotpass.ingest.version.DatasetRef;
import io.hotpass.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Accepts an asynchronous upload ({@code ?async=true}): checks what can be checked before parsing
 * (the dataset, options, If-Match; content type and body size are refused earlier), then, in one
 * transaction, records the run {@code queued}, stages the request body in chunks and queues the run.
 * A body that cannot be read to its end rolls all of it back: nothing is half-staged. A runner then
 * parses the staged file with the synchronous upload's own code ({@link UploadService#storeStaged}).
 */
@ApplicationScoped
public class StagedUploads {

    /** Fired after a run is queued and committed: the dispatcher wakes at once. */
    public record Queued(UUID runId) {
    }

    @Inject
    UploadService uploads;

    @Inject
    RunService runs;

    @Inject
    UploadQueue queue;

    @Inject
    Event<Queued> queued;

    /** The size of one staged chunk (a bytea row). */
    @ConfigProperty(name = "hotpass.ingest.runners.chunk-bytes", defaultValue = "1048576")
    int chunkBytes;

    public RunView accept(String tenant, String subject, UUID datasetId, UploadOptions o, InputStream body) {
        DatasetRef d = uploads.check(tenant, datasetId, o);
        if (!UploadOptions.XLSX.equals(o.format())) {
            UploadService.checkTextOptions(o);
        }
        UUID runId = UUID.randomUUID();
        try {
            runs.inTenant(tenant, c -> {
                runs.queued(c, runId, tenant, d.id(), d.name(), o.mode(), o.format(), o.fileName(), subject);
                byte[] buf = new byte[Math.max(4096, chunkBytes)];
                long total = 0;
                int seq = 0;
                while (true) {
                    int n;
                    try {
                        n = body.readNBytes(buf, 0, buf.length);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    if (n <= 0) {
                        break;
                    }
                    UploadQueue.stage(c, runId, tenant, seq++, buf, n);
                    total += n;
                }
                if (total == 0) {
                    throw new ProblemException(422, "empty_file", "Empty file", "The request body is empty; nothing was queued");
                }
                queue.enqueue(c, runId, tenant, o, subject, total);
                return null;
            });
        } catch (UncheckedIOException e) {
            throw new ProblemException(400, "upload_interrupted", "Upload interrupted",
                    "The upload could not be read to its end; nothing was queued");
        }
        queued.fire(new Queued(runId));
        return runs.view(tenant, runId);
    }
}
