package io.hotpass.chaos.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The drill stack's route table keeps every route of the gateway's own and adds the switch routes, one upstream each. */
class FaultRoutesTest {

    @Test
    void theGatewaysRoutesStayAndEachServicesSwitchIsRoutedForPlatformAdministratorsOnly(@TempDir Path dir) throws Exception {
        Path root = Path.of(System.getProperty("hotpass.root", "..")).toAbsolutePath().normalize();
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        JsonNode bundled;
        try (InputStream in = Files.newInputStream(root.resolve("gateway/src/main/resources/routes.yaml"))) {
            bundled = yaml.readTree(in);
        }
        Path out;
        try (InputStream in = Files.newInputStream(root.resolve("gateway/src/main/resources/routes.yaml"))) {
            out = FaultRoutes.write(in, dir.resolve("routes.yaml"));
        }
        JsonNode table = yaml.readTree(out.toFile());
        assertEquals(bundled.get("upstreams"), table.get("upstreams"));
        int own = bundled.get("routes").size();
        assertEquals(own + 4 * FaultRoutes.UPSTREAMS.size(), table.get("routes").size());
        for (int i = 0; i < own; i++) {
            assertEquals(bundled.get("routes").get(i), table.get("routes").get(i), "route " + i + " unchanged");
        }
        for (int i = own; i < table.get("routes").size(); i++) {
            JsonNode r = table.get("routes").get(i);
            assertTrue(r.get("path").asText().startsWith("/api/v1/faults/" + r.get("upstream").asText()), r.toString());
            assertTrue(r.get("to").asText().startsWith("/admin/faults"), r.toString());
            assertTrue(r.get("action").asText().startsWith("platform:fault:"), r.toString());
            assertEquals("platform/faults/" + r.get("upstream").asText(), r.get("resource").asText());
        }
        assertEquals("/api/v1/faults/ingest", FaultRoutes.path("ingest-service"));
    }
}
