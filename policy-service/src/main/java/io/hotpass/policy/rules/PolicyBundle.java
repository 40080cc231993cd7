package io.hotpass.policy.rules;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A whole policy as one JSON document: what {@code GET /policy/bundle} exports and
 * {@code PUT /policy/bundle} imports (replacing every rule, as one new version). On import only
 * {@code format}, {@code rules} and {@code comment} are read.
 */
@Schema(description = "A complete policy: every rule of one version")
public record PolicyBundle(
        @NotNull @Pattern(regexp = FORMAT, message = "must be " + FORMAT) String format,
        Long version,
        String createdBy,
        OffsetDateTime createdAt,
        @Size(max = 500) String comment,
        @NotNull @Size(max = 10000) List<@Valid @NotNull RuleView> rules) {

    public static final String FORMAT = "hotpass-policy-bundle/1";
}
