package io.hotpass.policy.decision;

import java.util.List;

/**
 * A decision with its working shown ({@code GET /decisions/explain}): the principals asked about,
 * the roles they hold in the request's tenant (directly or through bindings), and each permission
 * rule of those roles with which of its parts matched the request. Rule values are the policy's
 * own patterns; nothing from the request other than what the administrator sent comes back.
 */
public record Explanation(Decision decision, List<String> principals, List<String> roles, List<RuleCheck> rules) {

    /** One permission rule and how it compared with the request. */
    public record RuleCheck(long id, String effect, String role, String tenant, String action, String resource,
            boolean tenantMatches, boolean actionMatches, boolean resourceMatches, boolean matched) {
    }
}
