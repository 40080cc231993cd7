package io.hotpass.policy.decision;

import java.util.List;

/** The decisions of a batch, in the order of its requests. */
public record BatchDecisionResponse(List<Decision> decisions) {
}
