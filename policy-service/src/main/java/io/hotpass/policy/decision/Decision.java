package io.hotpass.policy.decision;

import java.util.List;

/**
 * The answer to a {@link DecisionRequest}: allow or deny, a reason code, the ids of the rules that
 * decided it (the denying rules when denied by a rule, the allowing ones when allowed) and the
 * policy version the whole decision was evaluated under.
 */
public record Decision(boolean allow, ReasonCode reason, List<String> matchedRules, long policyVersion) {

    public Decision {
        matchedRules = matchedRules == null ? List.of() : List.copyOf(matchedRules);
    }

    static Decision deny(ReasonCode reason, long version) {
        return new Decision(false, reason, List.of(), version);
    }
}
