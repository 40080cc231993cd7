package io.hotpass.ingest.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotpass.platform.tenancy.TenantSession;
import io.hotpass.platform.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** PostgreSQL itself refuses cross-tenant access to the application role, whatever the code asks. */
@QuarkusTest
class RowLevelSecurityTest {

    static final String DB = "hotpass_ingest_test";

    @Test
    void withoutTenantNoRowsAndPerTenantOnlyOwnRows() throws SQLException {
        String a = "rls-a-" + UUID.randomUUID().toString().substring(0, 6);
        String b = "rls-b-" + UUID.randomUUID().toString().substring(0, 6);
        try (Connection owner = TestDatabase.asOwner(DB)) {
            insert(owner, a, "a1");
            insert(owner, a, "a2");
            insert(owner, b, "b1");
        }
        try (Connection app = TestDatabase.asApp(DB)) {
            app.setAutoCommit(false);
            assertEquals(0, count(app, "select count(*) from dataset"), "no tenant set: no rows");
            TenantSession.apply(app, a);
            assertEquals(2, count(app, "select count(*) from dataset"));
            assertEquals(0, count(app, "select count(*) from dataset where tenant_id = '" + b + "'"));
            app.commit();
            // The setting is transaction-local: the next transaction on the same connection sees nothing again.
            assertEquals(0, count(app, "select count(*) from dataset"));
            TenantSession.apply(app, b);
            assertEquals(1, count(app, "select count(*) from dataset"));
            // Writing a row for another tenant is refused by the policy's WITH CHECK.
            SQLException e = assertThrows(SQLException.class, () -> insert(app, a, "sneaky"));
            assertTrue(e.getMessage().contains("row-level security"), e.getMessage());
            app.rollback();
        }
    }

    private static void insert(Connection c, String tenant, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "insert into dataset (id, tenant_id, name, profile, created_by) values (?, ?, ?, 'organisation', 'test')")) {
            ps.setObject(1, UUID.randomUUID());
            ps.setString(2, tenant);
            ps.setString(3, name);
            ps.executeUpdate();
        }
    }

    private static int count(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
