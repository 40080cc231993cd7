package io.hotpass.ingest.upload;

import io.hotpass.ingest.profile.ColumnInference.ColumnMapping;
import java.util.List;
import java.util.Map;

/** {@code ?preview=true}: what an upload would do, without storing anything. */
public record PreviewView(String profile, String encoding, String delimiter, List<ColumnMapping> mapping,
        List<String> unmappedColumns, List<String> unmappedFields, List<Map<String, Object>> sample,
        long rowsRead) {
}
