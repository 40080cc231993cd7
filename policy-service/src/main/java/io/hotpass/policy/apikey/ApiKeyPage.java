package io.hotpass.policy.apikey;

import java.util.List;

/** One page of a tenant's API keys in key id order; {@code nextCursor} is null on the last page. */
public record ApiKeyPage(List<ApiKeyView> items, String nextCursor) {
}
