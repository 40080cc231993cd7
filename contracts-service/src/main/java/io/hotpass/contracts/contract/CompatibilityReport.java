package io.hotpass.contracts.contract;

import io.hotpass.contracts.spec.Compatibility;
import java.util.List;

/**
 * The compatibility of a candidate version with the active one: the breaks found, and whether it
 * would be accepted (no breaks, or a major version bump, or no active version to compare with).
 */
public record CompatibilityReport(String name, String version, String comparedWith, boolean majorBump,
        boolean accepted, List<Compatibility.Break> breaks) {
}
