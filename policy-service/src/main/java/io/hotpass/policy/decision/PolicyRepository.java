package io.hotpass.policy.decision;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import javax.sql.DataSource;

/** Reads the current policy version and its rules from {@code policy_version} and {@code policy_rule}. */
@ApplicationScoped
public class PolicyRepository {

    /** The rules and the version they belong to, read in one statement so they agree. */
    public record StoredPolicy(long version, List<PolicyRule> rules, Set<String> suspendedTenants) {
    }

    @Inject
    DataSource dataSource;

    /** The highest published version, 0 when there is none. Cheap: the gateway's cache and the reload poll ask it. */
    public long currentVersion() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select coalesce(max(version), 0) from policy_version");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public StoredPolicy load() throws SQLException {
        // One statement sees one snapshot of the database even under READ COMMITTED, so a version
        // published between two queries can never pair one version's number with another's rules.
        // Suspended tenants are part of the version too: suspending or resuming a tenant publishes
        // a new version, so the gateway's decision cache drops with it.
        String sql = "select v.version, r.id, r.ptype, r.v0, r.v1, r.v2, r.v3, r.v4, v.suspended"
                + " from (select coalesce(max(version), 0) as version,"
                + " array(select id from tenant where status = 'suspended' order by id) as suspended"
                + " from policy_version) v"
                + " left join policy_rule r on true order by r.id";
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            long version = 0;
            List<PolicyRule> rules = new ArrayList<>();
            Set<String> suspended = new HashSet<>();
            while (rs.next()) {
                version = rs.getLong(1);
                if (suspended.isEmpty()) {
                    suspended.addAll(Arrays.asList((String[]) rs.getArray(9).getArray()));
                }
                if (rs.getObject(2) != null) {
                    rules.add(new PolicyRule(rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getString(7), rs.getString(8)));
                }
            }
            return new StoredPolicy(version, rules, suspended);
        }
    }
}
