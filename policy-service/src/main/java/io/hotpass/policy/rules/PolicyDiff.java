package io.hotpass.policy.rules;

import java.util.List;

/** What changed between two versions: rules only in {@code to} are added, rules only in {@code from} removed. */
public record PolicyDiff(long from, long to, List<RuleView> added, List<RuleView> removed) {
}
