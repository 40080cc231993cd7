package io.hotpass.policy.rules;

import java.time.OffsetDateTime;

/** One published version in the history listing. {@code ruleCount} is null when the version's rules were not recorded. */
public record PolicyVersionInfo(long version, String createdBy, OffsetDateTime createdAt, String comment,
        Integer ruleCount) {
}
