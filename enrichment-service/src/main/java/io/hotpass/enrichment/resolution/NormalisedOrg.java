package io.hotpass.enrichment.resolution;

/**
 * An {@link OrgRecord} with each compared field in its normalised form ({@code null} = missing or
 * unusable, which the model treats as "no evidence", not as disagreement).
 */
public record NormalisedOrg(String id, String name, String nameTokens, String phone, String emailDomain,
        String registrationNumber, String websiteHost) {
}
