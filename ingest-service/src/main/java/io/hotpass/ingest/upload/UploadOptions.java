package io.hotpass.ingest.upload;

import java.util.Map;

/** Parsed options of one upload request. */
public record UploadOptions(String mode, String format, String delimiter, String encoding, boolean preview,
        Map<String, String> mapping, String fileName, long contentLength, String ifMatch, String sheet) {

    public static final String CSV = "csv";
    public static final String NDJSON = "ndjson";
    public static final String XLSX = "xlsx";

    public static final String BACKFILL = "backfill";
    public static final String INCREMENTAL = "incremental";
}
