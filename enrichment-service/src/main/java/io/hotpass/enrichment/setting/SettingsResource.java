package io.hotpass.enrichment.setting;

import io.hotpass.enrichment.crawl.WebsiteResearch;
import io.hotpass.platform.auth.CallerContext;
import io.hotpass.platform.tenancy.Tenanted;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /settings}: the tenant's enrichment settings (network research on or off). */
@Path("/settings")
@Tag(name = "settings")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SettingsResource {

    /** Body of {@code PUT /settings}. */
    public record SettingsRequest(@Schema(description = "Whether plans may crawl websites", examples = "false")
            @NotNull Boolean networkResearch) {
    }

    /**
     * @param networkResearch the tenant's switch
     * @param networkResearchGlobal the platform-wide switch; research happens only when both are on
     */
    public record SettingsView(boolean networkResearch, boolean networkResearchGlobal) {
    }

    @Inject
    CallerContext callerContext;

    @Inject
    DataSource dataSource;

    @Inject
    WebsiteResearch research;

    @GET
    @Transactional
    @Tenanted
    @Operation(summary = "The tenant's enrichment settings")
    @APIResponse(responseCode = "200", description = "Settings (defaults when never set)")
    public SettingsView get() {
        return new SettingsView(networkResearch(dataSource, callerContext.tenant()), research.enabled());
    }

    @PUT
    @Transactional
    @Tenanted
    @Operation(summary = "Switch network research on or off for the tenant")
    @APIResponse(responseCode = "200", description = "Settings saved")
    @APIResponse(responseCode = "400", description = "validation_failed (networkResearch)")
    public SettingsView put(@Valid @NotNull SettingsRequest body) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("insert into"
                + " enrichment_setting (tenant_id, network_research, updated_by) values (?, ?, ?) on conflict"
                + " (tenant_id) do update set network_research = excluded.network_research, updated_at = now(),"
                + " updated_by = excluded.updated_by")) {
            ps.setString(1, callerContext.tenant());
            ps.setBoolean(2, body.networkResearch());
            ps.setString(3, callerContext.subject());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not save settings", e);
        }
        return new SettingsView(body.networkResearch(), research.enabled());
    }

    /** The tenant's switch (on unless turned off), read in the caller's tenanted transaction. */
    public static boolean networkResearch(DataSource dataSource, String tenant) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select network_research from enrichment_setting where tenant_id = ?")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                return !rs.next() || rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read settings", e);
        }
    }
}
