package io.hotpass.platform.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The receiving side of the outbox: records event ids in {@code inbox_event} in the receiver's
 * transaction, so an event delivered twice takes effect once.
 */
@ApplicationScoped
public class Inbox {

    @Inject
    Instance<DataSource> dataSource;

    /** True the first time this event id is seen (in the current transaction's view); false for a repeat. */
    public boolean firstDelivery(UUID eventId, String source) {
        try (Connection c = dataSource.get().getConnection()) {
            return firstDelivery(c, eventId, source);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not record the inbox event", e);
        }
    }

    public static boolean firstDelivery(Connection c, UUID eventId, String source) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "insert into inbox_event (event_id, source) values (?, ?) on conflict (event_id) do nothing")) {
            ps.setObject(1, eventId);
            ps.setString(2, source);
            return ps.executeUpdate() == 1;
        }
    }
}
