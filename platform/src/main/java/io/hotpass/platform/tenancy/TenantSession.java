package io.hotpass.platform.tenancy;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Sets the PostgreSQL setting {@value #SETTING} that every row-level security policy compares
 * {@code tenant_id} with. The setting is transaction-local ({@code set_config(..., true)}), so a
 * pooled connection never carries one tenant's setting into another request. Inside a JTA
 * transaction the pool hands Hibernate and JDBC code the same connection, so setting it once per
 * transaction covers both.
 */
@ApplicationScoped
public class TenantSession {

    public static final String SETTING = "hotpass.tenant_id";

    @Inject
    Instance<DataSource> dataSource;

    /** Applies the tenant to the connection of the current transaction. */
    public void apply(String tenant) {
        try (Connection c = dataSource.get().getConnection()) {
            apply(c, tenant);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not set the tenant for this transaction", e);
        }
    }

    /** Applies the tenant to a connection that is in a transaction (auto-commit off). */
    public static void apply(Connection c, String tenant) throws SQLException {
        TenantId.parse(tenant);
        try (PreparedStatement ps = c.prepareStatement("select set_config('" + SETTING + "', ?, true)")) {
            ps.setString(1, tenant);
            ps.execute();
        }
    }
}
