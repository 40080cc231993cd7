package io.hotpass.platform.db;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

/**
 * Brings the service's database to the state the code expects before anything else runs: creates
 * the application role and the database if they are missing, then runs the Flyway migrations as
 * the owner. Readiness ({@link MigrationReadinessCheck}) stays down until this has finished.
 */
@ApplicationScoped
public class DatabaseBootstrap {

    private static final Logger LOG = Logger.getLogger(DatabaseBootstrap.class);
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    @Inject
    DatabaseConfig config;

    @Inject
    Instance<Flyway> flyway;

    private volatile boolean migrated;

    void onStart(@Observes @Priority(10) StartupEvent event) {
        if (config.bootstrap()) {
            ensureRoleAndDatabase();
        }
        Flyway f = flyway.get();
        if (config.cleanAtStart()) {
            f.clean();
        }
        var result = f.migrate();
        LOG.infof("Database %s migrated to version %s (%d migrations applied)", config.name(),
                result.targetSchemaVersion, result.migrationsExecuted);
        migrated = true;
    }

    public boolean migrated() {
        return migrated;
    }

    void ensureRoleAndDatabase() {
        String db = identifier(config.name(), "hotpass.db.name");
        String app = identifier(config.appUser(), "hotpass.db.app-user");
        Properties props = new Properties();
        props.setProperty("user", config.adminUser());
        config.adminPassword().ifPresent(p -> props.setProperty("password", p));
        try (Connection c = DriverManager.getConnection(config.serverUrl() + "/postgres", props)) {
            if (!exists(c, "select 1 from pg_roles where rolname = ?", app)) {
                try (Statement s = c.createStatement()) {
                    String password = config.appPassword().map(p -> " password '" + p.replace("'", "''") + "'").orElse("");
                    s.execute("create role " + app + " login nosuperuser nocreatedb nocreaterole noinherit" + password);
                    LOG.infof("Created application role %s", app);
                } catch (SQLException e) {
                    if (!"42710".equals(e.getSQLState())) { // created concurrently by another service
                        throw e;
                    }
                }
            }
            if (!exists(c, "select 1 from pg_database where datname = ?", db)) {
                try (Statement s = c.createStatement()) {
                    s.execute("create database " + db);
                    LOG.infof("Created database %s", db);
                } catch (SQLException e) {
                    if (!"42P04".equals(e.getSQLState())) {
                        throw e;
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not prepare database " + db + " at " + config.serverUrl()
                    + " as " + config.adminUser() + ": " + e.getMessage(), e);
        }
    }

    private static boolean exists(Connection c, String sql, String value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static String identifier(String value, String property) {
        if (!IDENTIFIER.matcher(value).matches()) {
            throw new IllegalArgumentException(property + " must be a lower-case SQL identifier, got '" + value + "'");
        }
        return value;
    }
}
