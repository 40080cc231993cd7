package io.hotpass.policy.decision;

/** Body of {@code GET /policy/version}: the version decisions are currently evaluated under. */
public record PolicyVersionView(long version) {
}
