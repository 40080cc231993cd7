package io.hotpass.policy.rules;

import java.util.List;

/** The answer to a change or an import: the new version and the ids it added and removed. */
public record PublishedVersion(long version, List<Long> added, List<Long> removed) {
}
