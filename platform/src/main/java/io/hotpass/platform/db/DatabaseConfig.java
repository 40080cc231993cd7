package io.hotpass.platform.db;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * {@code hotpass.db.*}: the service's own database and the two roles that use it. Flyway migrates
 * as the owner ({@code admin-user}); the service's pool connects as the non-superuser
 * {@code app-user}, so PostgreSQL row-level security applies to every query it runs.
 */
@ConfigMapping(prefix = "hotpass.db")
public interface DatabaseConfig {

    /** Create the database and the application role when they are missing (local and test; off where a DBA owns them). */
    @WithDefault("true")
    boolean bootstrap();

    /** Drop everything in the schema before migrating: tests only (needs quarkus.flyway.clean-disabled=false). */
    @WithDefault("false")
    boolean cleanAtStart();

    /** Server URL without a database, e.g. {@code jdbc:postgresql://127.0.0.1:5432}. */
    String serverUrl();

    /** This service's database, e.g. {@code hotpass_ingest}. */
    String name();

    String adminUser();

    Optional<String> adminPassword();

    String appUser();

    Optional<String> appPassword();
}
