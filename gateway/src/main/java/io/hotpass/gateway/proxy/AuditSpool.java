package io.hotpass.gateway.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotpass.platform.outbox.Outbox;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Where an audit entry waits when the gateway's own database cannot take it into the outbox: an
 * append-only NDJSON file (each line written and forced to disk before the writer moves on),
 * drained back into the outbox every few seconds once the database answers. An entry is kept
 * until its insert succeeds or the outbox already holds its id, so a database outage delays audit
 * entries and never loses them — nor does a gateway restart during the outage, since the file
 * survives it (mount a volume at {@code hotpass.gateway.audit.spool-dir} in a cluster).
 */
@ApplicationScoped
public class AuditSpool {

    private static final Logger LOG = Logger.getLogger(AuditSpool.class);

    /**
     * Default: {@code <java.io.tmpdir>/hotpass-gateway-audit-<hotpass.db.name>}, computed here — an
     * expression in an injection point's defaultValue is not expanded (it made a folder literally
     * named {@code ${java.io.tmpdir}} under the working directory).
     */
    @ConfigProperty(name = "hotpass.gateway.audit.spool-dir")
    java.util.Optional<Path> configuredDir;

    @ConfigProperty(name = "hotpass.db.name")
    String dbName;

    Path dir;

    @Inject
    Outbox outbox;

    @Inject
    ObjectMapper json;

    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    private final Object lock = new Object();

    /**
     * {@code hotpass_audit_spool_pending}: entries waiting on disk for the outbox (-1 when the
     * spool cannot be read). Anything above 0 means audit delivery is behind; drills wait for 0.
     */
    @jakarta.annotation.PostConstruct
    void resolveDir() {
        dir = configuredDir.orElseGet(() -> Path.of(System.getProperty("java.io.tmpdir"), "hotpass-gateway-audit-" + dbName));
    }

    void metrics(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent started) {
        registry.gauge("hotpass_audit_spool_pending", this, AuditSpool::pending);
    }

    Path file() {
        return dir.resolve("audit-spool.ndjson");
    }

    /** Appends an entry the outbox could not take. False only when the disk refused it too. */
    public boolean spool(UUID id, String tenant, Map<String, Object> entry) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("id", id.toString());
        line.put("tenant", tenant);
        line.put("entry", entry);
        synchronized (lock) {
            try {
                Files.createDirectories(dir);
                byte[] bytes = (json.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
                try (FileChannel ch = FileChannel.open(file(), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND)) {
                    ch.write(java.nio.ByteBuffer.wrap(bytes));
                    ch.force(true);
                }
                return true;
            } catch (IOException e) {
                LOG.errorf("Audit entry %s could not be spooled to %s either: %s", id, file(), e.getMessage());
                return false;
            }
        }
    }

    /** Entries waiting in the spool. */
    public int pending() {
        synchronized (lock) {
            try {
                return Files.exists(file()) ? (int) Files.lines(file()).filter(l -> !l.isBlank()).count() : 0;
            } catch (IOException e) {
                return -1;
            }
        }
    }

    /** Moves spooled entries into the outbox, in order, stopping at the first the database refuses. */
    @Scheduled(identity = "audit-spool-drain", every = "${hotpass.gateway.audit.spool-retry:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void drain() {
        synchronized (lock) {
            Path f = file();
            if (!Files.exists(f)) {
                return;
            }
            List<String> lines;
            try {
                lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            } catch (IOException e) {
                LOG.warnf("Audit spool %s could not be read: %s", f, e.getMessage());
                return;
            }
            List<String> left = new ArrayList<>();
            int moved = 0;
            for (String l : lines) {
                if (l.isBlank()) {
                    continue;
                }
                if (!left.isEmpty()) {
                    left.add(l); // keep order: once one waits, the rest wait behind it
                    continue;
                }
                try {
                    JsonNode n = json.readTree(l);
                    try {
                        outbox.enqueue(UUID.fromString(n.get("id").asText()), "audit", "AuditEntry",
                                n.path("tenant").asText(null), json.treeToValue(n.get("entry"), Map.class));
                    } catch (IllegalStateException e) {
                        if (!alreadyThere(e)) {
                            throw e;
                        }
                    }
                    moved++;
                } catch (IOException e) {
                    LOG.errorf("Audit spool line is not JSON and is dropped: %s", e.getMessage());
                } catch (RuntimeException e) {
                    left.add(l);
                }
            }
            try {
                if (left.isEmpty()) {
                    Files.delete(f);
                } else if (moved > 0) {
                    Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
                    Files.write(tmp, left, StandardCharsets.UTF_8);
                    Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                }
            } catch (IOException e) {
                LOG.warnf("Audit spool %s could not be rewritten (entries moved now are retried and de-duplicated"
                        + " by id): %s", f, e.getMessage());
            }
            if (moved > 0) {
                LOG.infof("Audit spool: %d entr%s moved to the outbox, %d waiting", moved, moved == 1 ? "y" : "ies",
                        left.size());
            }
        }
    }

    /** The outbox already holds this id: a previous drain inserted it before the file was rewritten. */
    private static boolean alreadyThere(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && "23505".equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
