package io.hotpass.platform.db;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only once the database exists and the migrations ran (the datasource check covers "answers"). */
@Readiness
@ApplicationScoped
public class MigrationReadinessCheck implements HealthCheck {

    @Inject
    DatabaseBootstrap bootstrap;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("database-migrations").status(bootstrap.migrated()).build();
    }
}
