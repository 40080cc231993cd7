package io.hotpass.enrichment.evidence;

/**
 * One proposed value for a field of an organisation, with its evidence.
 *
 * @param field canonical field name ({@code email}, {@code phone}, {@code name}, {@code website},
 *        {@code street}, {@code city}, {@code province}, {@code country}, {@code registration_number})
 * @param value the normalised value (E.164 phone, lower-case email…)
 */
public record Candidate(String field, String value, Evidence evidence) {
}
