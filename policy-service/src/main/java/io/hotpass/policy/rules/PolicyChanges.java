package io.hotpass.policy.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotpass.platform.auth.Caller;
import io.hotpass.platform.http.ETags;
import io.hotpass.platform.problem.ErrorCode;
import io.hotpass.platform.problem.ProblemException;
import io.hotpass.policy.decision.Decision;
import io.hotpass.policy.decision.DecisionRequest;
import io.hotpass.policy.decision.InvalidPolicyException;
import io.hotpass.policy.decision.KnownRoles;
import io.hotpass.policy.decision.PolicyEngine;
import io.hotpass.policy.decision.PolicyLoader;
import io.hotpass.policy.decision.PolicyRule;
import io.hotpass.policy.decision.PolicySnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The only writer of the policy. A change (or an imported bundle) is applied to a copy of the rules
 * in force, validated as a whole — every rule on its own, then jCasbin loading the set, then the
 * lock-out check — and only then written, together with its new version row and the full rule set
 * of that version, in one transaction under an advisory lock. Invalid changes are 422 with the
 * reason; a change made against a version that is no longer current is 412 (send If-Match with the
 * version's ETag, {@code "p<version>"}). This replica swaps the new version in before answering;
 * the others see the version number move within their poll interval.
 */
@ApplicationScoped
public class PolicyChanges {

    /** pg_advisory_xact_lock key serialising policy writers across replicas. */
    private static final long LOCK_KEY = 0x686f7470_6f6c6963L;

    /**
     * What every platform administrator must still be allowed after any change: changing the policy
     * back. A change that denies it is a lock-out and is refused.
     */
    static final DecisionRequest LOCKOUT_PROBE = new DecisionRequest("lockout-probe", "platform",
            List.of(KnownRoles.PLATFORM_ADMIN), "policy:rules:update", "platform/policy");

    @Inject
    DataSource dataSource;

    @Inject
    PolicyEngine engine;

    @Inject
    ObjectMapper json;

    public static String etag(long version) {
        return ETags.strong("p" + version);
    }

    public PublishedVersion change(Caller caller, String ifMatch, PolicyChangeRequest change) {
        if (change.add().isEmpty() && change.remove().isEmpty()) {
            throw unprocessable("empty_change", "The change neither adds nor removes a rule");
        }
        return write(caller, ifMatch, change.comment(), current -> {
            Map<Long, PolicyRule> kept = new LinkedHashMap<>();
            current.forEach(r -> kept.put(r.id(), r));
            List<Long> removed = new ArrayList<>();
            for (Long id : change.remove()) {
                if (kept.remove(id) == null) {
                    throw unprocessable("unknown_rule", "remove: no rule " + id + " in the current version");
                }
                removed.add(id);
            }
            List<RuleView> added = new ArrayList<>();
            for (int i = 0; i < change.add().size(); i++) {
                RuleView view = change.add().get(i);
                checkRule(view, "add[" + i + "]: ");
                boolean duplicate = kept.values().stream().anyMatch(view::sameAs)
                        || added.stream().anyMatch(a -> a.toRule(0).values().equals(view.toRule(0).values()));
                if (duplicate) {
                    throw unprocessable("duplicate_rule", "add[" + i + "]: the same rule exists already");
                }
                added.add(view);
            }
            return new Plan(new ArrayList<>(kept.values()), added, removed);
        });
    }

    /** Replaces every rule with the bundle's, as one new version. Rules that stay keep their ids. */
    public PublishedVersion importBundle(Caller caller, String ifMatch, PolicyBundle bundle) {
        return write(caller, ifMatch, bundle.comment(), current -> {
            List<RuleView> wanted = new ArrayList<>();
            for (int i = 0; i < bundle.rules().size(); i++) {
                RuleView view = bundle.rules().get(i);
                checkRule(view, "rules[" + i + "]: ");
                if (wanted.stream().anyMatch(w -> w.toRule(0).values().equals(view.toRule(0).values()))) {
                    throw unprocessable("duplicate_rule", "rules[" + i + "]: the same rule appears twice");
                }
                wanted.add(view);
            }
            List<PolicyRule> kept = new ArrayList<>();
            List<Long> removed = new ArrayList<>();
            for (PolicyRule r : current) {
                if (wanted.stream().anyMatch(w -> w.sameAs(r))) {
                    kept.add(r);
                } else {
                    removed.add(r.id());
                }
            }
            List<RuleView> added = wanted.stream().filter(w -> kept.stream().noneMatch(w::sameAs)).toList();
            return new Plan(kept, added, removed);
        });
    }

    private record Plan(List<PolicyRule> kept, List<RuleView> added, List<Long> removed) {
    }

    @FunctionalInterface
    private interface Planner {
        Plan plan(List<PolicyRule> current);
    }

    private PublishedVersion write(Caller caller, String ifMatch, String comment, Planner planner) {
        requireAdmin(caller);
        PublishedVersion published;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                published = writeLocked(c, caller, ifMatch, comment, planner);
                c.commit();
            } catch (RuntimeException | SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new ProblemException(ErrorCode.SERVICE_UNAVAILABLE, "The policy store is unavailable; nothing was changed")
                    .header("Retry-After", "1");
        }
        engine.reload();
        return published;
    }

    private PublishedVersion writeLocked(Connection c, Caller caller, String ifMatch, String comment, Planner planner)
            throws SQLException {
        lock(c);
        long version = currentVersion(c);
        ETags.checkIfMatch(ifMatch, etag(version), false);
        List<PolicyRule> current = currentRules(c);
        Plan plan = planner.plan(current);

        // Validate the whole next version before anything is written. New rules get negative ids
        // here only so that messages and jCasbin can tell them apart; the database assigns real ones.
        List<PolicyRule> candidate = new ArrayList<>(plan.kept());
        for (int i = 0; i < plan.added().size(); i++) {
            candidate.add(plan.added().get(i).toRule(-(i + 1)));
        }
        PolicySnapshot next;
        try {
            next = PolicyLoader.load(version + 1, candidate);
        } catch (InvalidPolicyException e) {
            throw unprocessable("invalid_rule", e.getMessage());
        }
        Decision probe = next.decide(LOCKOUT_PROBE);
        if (!probe.allow()) {
            throw unprocessable("policy_lockout", "The change would lock every platform administrator out of the"
                    + " policy (platform-admin may no longer perform policy:rules:update on platform/policy: "
                    + probe.reason().code() + ")");
        }

        if (!plan.removed().isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("delete from policy_rule where id = any(?)")) {
                ps.setArray(1, c.createArrayOf("bigint", plan.removed().toArray()));
                ps.executeUpdate();
            }
        }
        List<Long> addedIds = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "insert into policy_rule (ptype, v0, v1, v2, v3, v4) values (?, ?, ?, ?, ?, ?) returning id")) {
            for (RuleView view : plan.added()) {
                PolicyRule r = view.toRule(0);
                ps.setString(1, r.ptype());
                ps.setString(2, r.v0());
                ps.setString(3, r.v1());
                ps.setString(4, r.v2());
                ps.setString(5, r.v3());
                ps.setString(6, r.v4());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    addedIds.add(rs.getLong(1));
                }
            }
        }
        insertVersion(c, version + 1, caller.subject(), comment);
        return new PublishedVersion(version + 1, addedIds, plan.removed());
    }

    /**
     * Publishes the rules in force, unchanged, as a new version — for changes outside the rules that
     * decisions depend on (a tenant suspended or resumed). Runs in the caller's transaction.
     */
    public void publishUnchanged(String createdBy, String comment) {
        try (Connection c = dataSource.getConnection()) {
            lock(c);
            insertVersion(c, currentVersion(c) + 1, createdBy, comment);
        } catch (SQLException e) {
            throw unavailable();
        }
    }

    private static void lock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_advisory_xact_lock(?)")) {
            ps.setLong(1, LOCK_KEY);
            ps.execute();
        }
    }

    /** The version row with the full rule set now in {@code policy_rule}. */
    private void insertVersion(Connection c, long version, String createdBy, String comment) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into policy_version (version, created_by, comment, rules)"
                + " values (?, ?, ?, ?::jsonb)")) {
            ps.setLong(1, version);
            ps.setString(2, createdBy);
            ps.setString(3, comment);
            ps.setString(4, toJson(currentRules(c)));
            ps.executeUpdate();
        }
    }

    /** The versions, newest first, at most {@code limit} from {@code before} (exclusive) down. */
    public List<PolicyVersionInfo> versions(Caller caller, long before, int limit) {
        requireAdmin(caller);
        String sql = "select version, created_by, created_at, comment, jsonb_array_length(rules) from policy_version"
                + " where version < ? order by version desc limit ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, before);
            ps.setInt(2, limit);
            List<PolicyVersionInfo> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new PolicyVersionInfo(rs.getLong(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class),
                            rs.getString(4), (Integer) rs.getObject(5)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw unavailable();
        }
    }

    /** One version as a bundle; {@code version} 0 means the current one. */
    public PolicyBundle bundle(Caller caller, long version) {
        requireAdmin(caller);
        String sql = "select version, created_by, created_at, comment, rules,"
                + " version = (select max(version) from policy_version) from policy_version where version = "
                + (version == 0 ? "(select max(version) from policy_version)" : "?");
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (version != 0) {
                ps.setLong(1, version);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ProblemException.notFound("policy_version_not_found", "No policy version " + version);
                }
                String rules = rs.getString(5);
                if (rules == null && rs.getBoolean(6)) {
                    // The current version published without its rule set (by a migration, or by hand
                    // in SQL): policy_rule holds exactly its rules.
                    rules = toJson(currentRules(c));
                }
                if (rules == null) {
                    throw new ProblemException(ErrorCode.NOT_FOUND.status(), "policy_version_not_recorded",
                            "Policy version not recorded", "The rules of version " + rs.getLong(1)
                                    + " were published before versions kept their rules");
                }
                return new PolicyBundle(PolicyBundle.FORMAT, rs.getLong(1), rs.getString(2),
                        rs.getObject(3, OffsetDateTime.class), rs.getString(4),
                        fromJson(rules).stream().map(RuleView::of).toList());
            }
        } catch (SQLException e) {
            throw unavailable();
        }
    }

    public PolicyDiff diff(Caller caller, long from, long to) {
        List<RuleView> a = bundle(caller, from).rules();
        List<RuleView> b = bundle(caller, to).rules();
        Set<List<String>> inA = new HashSet<>();
        a.forEach(r -> inA.add(r.toRule(0).values()));
        Set<List<String>> inB = new HashSet<>();
        b.forEach(r -> inB.add(r.toRule(0).values()));
        return new PolicyDiff(from, to, b.stream().filter(r -> !inA.contains(r.toRule(0).values())).toList(),
                a.stream().filter(r -> !inB.contains(r.toRule(0).values())).toList());
    }

    private static void checkRule(RuleView view, String where) {
        if (RuleView.BINDING.equals(view.type())) {
            if (view.action() != null || view.resource() != null) {
                throw unprocessable("invalid_rule", where + "a binding has no action or resource");
            }
        } else if (view.subject() != null) {
            throw unprocessable("invalid_rule", where + "a permission names a role, not a subject (bind the subject"
                    + " to a role instead)");
        }
        try {
            PolicyLoader.validate(view.toRule(0), where);
        } catch (InvalidPolicyException e) {
            throw unprocessable("invalid_rule", e.getMessage());
        }
    }

    private static long currentVersion(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select coalesce(max(version), 0) from policy_version");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<PolicyRule> currentRules(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select id, ptype, v0, v1, v2, v3, v4 from policy_rule order by id");
                ResultSet rs = ps.executeQuery()) {
            List<PolicyRule> rules = new ArrayList<>();
            while (rs.next()) {
                rules.add(new PolicyRule(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7)));
            }
            return rules;
        }
    }

    private String toJson(List<PolicyRule> rules) {
        try {
            return json.writeValueAsString(rules);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<PolicyRule> fromJson(String rules) {
        try {
            return List.of(json.readValue(rules, PolicyRule[].class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("policy_version.rules is not a rule list", e);
        }
    }

    static void requireAdmin(Caller caller) {
        if (!caller.isPlatformAdmin()) {
            throw new ProblemException(ErrorCode.FORBIDDEN, "Reading and changing the policy needs the platform-admin role");
        }
    }

    private static ProblemException unprocessable(String code, String detail) {
        return new ProblemException(422, code, "Policy change refused", detail);
    }

    private static ProblemException unavailable() {
        return new ProblemException(ErrorCode.SERVICE_UNAVAILABLE, "The policy store is unavailable").header("Retry-After", "1");
    }
}
