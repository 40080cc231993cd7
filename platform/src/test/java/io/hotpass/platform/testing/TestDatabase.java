package io.hotpass.platform.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * JDBC connections to a service's test database for assertions, as the owner or as the
 * non-superuser application role (the one row-level security applies to).
 */
public final class TestDatabase {

    public static final String SERVER = System.getProperty("hotpass.test.db.server", "jdbc:postgresql://127.0.0.1:5432");

    private TestDatabase() {
    }

    public static Connection asOwner(String database) throws SQLException {
        return connect(database, System.getProperty("hotpass.test.db.admin-user", "postgres"));
    }

    public static Connection asApp(String database) throws SQLException {
        return connect(database, System.getProperty("hotpass.test.db.app-user", "hotpass_app"));
    }

    private static Connection connect(String database, String user) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", System.getProperty("hotpass.test.db.password", "hotpass"));
        return DriverManager.getConnection(SERVER + "/" + database, p);
    }
}
