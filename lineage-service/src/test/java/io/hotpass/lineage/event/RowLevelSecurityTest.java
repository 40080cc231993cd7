package io.hotpass.lineage.event;

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
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** PostgreSQL itself keeps each tenant to its own lineage, whatever the code asks. */
@QuarkusTest
class RowLevelSecurityTest {

    static final String DB = "hotpass_lineage_test";
    static final List<String> TABLES = List.of("lineage_event", "lineage_namespace", "lineage_job", "lineage_job_version",
            "lineage_run", "lineage_dataset", "lineage_dataset_version", "lineage_run_io", "lineage_edge", "lineage_column_edge");

    @Test
    void everyLineageTableIsTenantScopedByThePolicy() throws SQLException {
        try (Connection owner = TestDatabase.asOwner(DB)) {
            for (String table : TABLES) {
                try (PreparedStatement ps = owner.prepareStatement("select relrowsecurity and relforcerowsecurity from pg_class"
                        + " where relname = ?")) {
                    ps.setString(1, table);
                    try (ResultSet rs = ps.executeQuery()) {
                        assertTrue(rs.next() && rs.getBoolean(1), table + " must enable and force row-level security");
                    }
                }
            }
        }
    }

    @Test
    void aTenantSeesAndWritesOnlyItsOwnRows() throws SQLException {
        String a = "rls-a-" + UUID.randomUUID().toString().substring(0, 6);
        String b = "rls-b-" + UUID.randomUUID().toString().substring(0, 6);
        try (Connection owner = TestDatabase.asOwner(DB)) {
            namespace(owner, a, "n1");
            namespace(owner, a, "n2");
            namespace(owner, b, "n1");
        }
        try (Connection app = TestDatabase.asApp(DB)) {
            app.setAutoCommit(false);
            assertEquals(0, count(app, "select count(*) from lineage_namespace"), "no tenant set: no rows");
            TenantSession.apply(app, a);
            assertEquals(2, count(app, "select count(*) from lineage_namespace"));
            app.commit();
            TenantSession.apply(app, b);
            assertEquals(1, count(app, "select count(*) from lineage_namespace"));
            SQLException e = assertThrows(SQLException.class, () -> namespace(app, a, "sneaky"));
            assertTrue(e.getMessage().contains("row-level security"), e.getMessage());
            app.rollback();
        }
    }

    private static void namespace(Connection c, String tenant, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into lineage_namespace (tenant_id, name) values (?, ?)")) {
            ps.setString(1, tenant);
            ps.setString(2, name);
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
