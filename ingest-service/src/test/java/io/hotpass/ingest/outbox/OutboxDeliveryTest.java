package io.hotpass.ingest.outbox;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hotpass.platform.testing.RecordingReceiver;
import io.hotpass.platform.testing.RecordingReceiverResource;
import io.hotpass.platform.testing.TestDatabase;
import io.hotpass.platform.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The outbox's promise: events written with a change reach the receiver after it was down, each
 * takes effect exactly once even when an answer is lost and the relay delivers it again.
 */
@QuarkusTest
@QuarkusTestResource(RecordingReceiverResource.class)
class OutboxDeliveryTest {

    static final RecordingReceiver RECEIVER = RecordingReceiverResource.RECEIVER;

    @Test
    void receiverDownThenBackGetsEveryEventOnceInEffect() throws Exception {
        // Start from a drained outbox so the lost answer below can only hit this test's events.
        RECEIVER.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> scalar(
                "select count(*) from outbox_event where delivered_at is null and coalesce(tenant_id, '') <> ?", "") == 0);
        RECEIVER.stop();
        String tenant = "outbox-" + UUID.randomUUID().toString().substring(0, 6);
        List<String> names = List.of("ob-1", "ob-2", "ob-3");
        for (String name : names) {
            given().auth().oauth2(TestTokens.forTenant(tenant)).contentType(ContentType.JSON)
                    .body("{\"name\":\"" + name + "\",\"profile\":\"organisation\"}").post("/datasets")
                    .then().statusCode(201);
        }
        List<String> ids = eventIds(tenant);
        assertEquals(3, ids.size(), "one outbox event per dataset, written with it");

        // While the receiver is down the relay keeps trying and nothing is marked delivered.
        await().atMost(Duration.ofSeconds(20)).until(() -> minAttempts(tenant) >= 2);
        assertEquals(0, delivered(tenant));

        // Back up, but the first answer is lost after the event was applied: the relay must retry it.
        RECEIVER.loseNextAnswers(1);
        RECEIVER.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> delivered(tenant) == 3);

        for (String id : ids) {
            assertEquals(true, RECEIVER.applied().containsKey(id), "event " + id + " applied");
        }
        int totalDeliveries = ids.stream().mapToInt(RECEIVER::deliveries).sum();
        assertEquals(4, totalDeliveries, "three events, one of them delivered twice after a lost answer");
        assertEquals(3, ids.stream().filter(id -> RECEIVER.applied().containsKey(id)).count(),
                "the duplicate took effect once");
    }

    private static List<String> eventIds(String tenant) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection c = TestDatabase.asOwner("hotpass_ingest_test");
                PreparedStatement ps = c.prepareStatement("select id from outbox_event where tenant_id = ? order by created_at")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    private static int minAttempts(String tenant) throws SQLException {
        return scalar("select coalesce(min(attempts), 0) from outbox_event where tenant_id = ?", tenant);
    }

    private static int delivered(String tenant) throws SQLException {
        return scalar("select count(*) from outbox_event where tenant_id = ? and delivered_at is not null", tenant);
    }

    private static int scalar(String sql, String tenant) throws SQLException {
        try (Connection c = TestDatabase.asOwner("hotpass_ingest_test"); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
