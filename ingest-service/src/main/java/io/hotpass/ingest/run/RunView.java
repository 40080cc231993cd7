package io.hotpass.ingest.run;

import java.time.OffsetDateTime;
import java.util.UUID;

/** An upload run as the API shows it: state and progress. */
public record RunView(UUID id, UUID datasetId, String state, String mode, String format, String fileName,
        long bytesRead, Long totalBytes, long rowsRead, long rowsStored, long rowsQuarantined, Double rowsPerSecond,
        Long etaSeconds, Integer version, String errorCode, String errorDetail, OffsetDateTime startedAt,
        OffsetDateTime finishedAt) {

    public boolean finished() {
        return RunStates.FINAL.contains(state);
    }
}
