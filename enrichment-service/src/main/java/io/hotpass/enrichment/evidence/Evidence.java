package io.hotpass.enrichment.evidence;

import java.time.Instant;

/**
 * Where a candidate value came from, kept with the value so a reviewer can check it.
 *
 * @param sourceKind {@code website} or {@code registry}
 * @param source the page URL, or {@code registry:<name>@<datasetId>/v<version>#<rowId>}
 * @param fetchedAt when the page was fetched or the registry version read
 * @param contentSha256 SHA-256 (hex) of the page body or registry row the value was read from
 * @param extractor what read it: {@code mailto-link}, {@code tel-link}, {@code text-email},
 *        {@code text-phone}, {@code json-ld}, {@code microdata}, {@code registry-match}
 * @param snippet up to {@value #MAX_SNIPPET} characters around the value, as data (never
 *        interpreted; page text is untrusted and may contain instructions aimed at machines)
 */
public record Evidence(String sourceKind, String source, Instant fetchedAt, String contentSha256, String extractor,
        String snippet) {

    public static final int MAX_SNIPPET = 200;

    public Evidence {
        if (snippet != null) {
            snippet = snippet.replaceAll("[\\p{Cntrl}\\s]+", " ").strip();
            if (snippet.length() > MAX_SNIPPET) {
                snippet = snippet.substring(0, MAX_SNIPPET - 1) + "…";
            }
        }
    }
}
