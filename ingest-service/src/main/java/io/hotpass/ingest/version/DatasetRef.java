package io.hotpass.ingest.version;

import java.util.List;
import java.util.UUID;

/** What version-making code needs of a dataset, read (and usually locked) on its connection. */
public record DatasetRef(UUID id, String tenant, String name, String profile, List<String> rowKey, int currentVersion) {

    public String etag() {
        return "\"v" + currentVersion + "\"";
    }
}
