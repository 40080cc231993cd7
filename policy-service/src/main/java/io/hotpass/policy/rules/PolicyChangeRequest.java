package io.hotpass.policy.rules;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One change to the policy: rules to add, rule ids to remove, and why. Becomes exactly one new version. */
@Schema(description = "Rules to add and rule ids to remove, applied together as one new policy version")
public record PolicyChangeRequest(
        @Size(max = 1000) List<@Valid @NotNull RuleView> add,
        @Size(max = 1000) List<@NotNull Long> remove,
        @Size(max = 500) String comment) {

    public PolicyChangeRequest {
        add = add == null ? List.of() : List.copyOf(add);
        remove = remove == null ? List.of() : List.copyOf(remove);
    }
}
