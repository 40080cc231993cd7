package io.hotpass.ingest.dataset;

import java.util.List;

/** One page of a cursor-paged listing; {@code nextCursor} is null on the last page. */
public record Page<T>(List<T> items, String nextCursor) {
}
