package io.hotpass.policy.decision;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/** Body of {@code POST /decisions/batch}: up to {@value #MAX} requests, answered in order under one policy version. */
public record BatchDecisionRequest(
        @NotNull @Size(max = BatchDecisionRequest.MAX) List<@NotNull @Valid DecisionRequest> requests) {
    public static final int MAX = 1000;
}
