package io.hotpass.chaos.drill;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotpass.chaos.workload.Api;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A second tenant uploads poisoned files while the victim's workload runs: an unterminated quote,
 * a field eight times ingest's field limit, 10,000 columns, bytes that are not UTF-8 in a file
 * declared UTF-8. Each must be
 * answered 4xx with its problem code, or stored with the bad rows quarantined; never a 5xx or no
 * answer, and a refused file leaves no version behind. What was answered lands in
 * {@link Journal#poison}; {@code problems} there fail the drill.
 */
public final class Poison {

    /** One poisoned file: its name, content and the upload's query (how a client declares its encoding). */
    record File(String name, byte[] content, String query) {
        File(String name, byte[] content) {
            this(name, content, "");
        }
    }

    private final Api api;
    private final Journal journal;
    private final String key;

    public Poison(Api api, Journal journal, String key) {
        this.api = api;
        this.journal = journal;
        this.key = key;
    }

    static List<File> files(String tag) {
        List<File> files = new ArrayList<>();
        files.add(new File("unterminated-quote.csv", ("name,registration_number,email\n\"Acme " + tag + ",P-" + tag + "-1,a@acme.test\n"
                + "Beta,P-" + tag + "-2,b@beta.test\n").getBytes(StandardCharsets.UTF_8)));
        StringBuilder huge = new StringBuilder("name,registration_number,notes\nHuge " + tag + ",P-" + tag + "-3,");
        huge.append("x".repeat(8 << 20)).append('\n');
        files.add(new File("huge-field.csv", huge.toString().getBytes(StandardCharsets.UTF_8)));
        StringBuilder wide = new StringBuilder("name,registration_number");
        for (int i = 0; i < 10_000; i++) {
            wide.append(",c").append(i);
        }
        wide.append("\nWide ").append(tag).append(",P-").append(tag).append("-4").append(",v".repeat(10_000)).append('\n');
        files.add(new File("ten-thousand-columns.csv", wide.toString().getBytes(StandardCharsets.UTF_8)));
        ByteArrayOutputStream bad = new ByteArrayOutputStream();
        bad.writeBytes(("name,registration_number\nBad " + tag + " ").getBytes(StandardCharsets.UTF_8));
        bad.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE, (byte) 0x80});
        bad.writeBytes((",P-" + tag + "-5\n").getBytes(StandardCharsets.UTF_8));
        // Declared UTF-8 the way the API documents it (?encoding=): undeclared, ingest reads a file that is not UTF-8 as
        // Windows-1252, in which these bytes are letters.
        files.add(new File("invalid-bytes.csv", bad.toByteArray(), "?encoding=utf-8"));
        return files;
    }

    /** Creates the poisoner's dataset, uploads every file once, and checks what was kept. */
    public Map<String, Object> run(String tag) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<Map<String, Object>> answers = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        out.put("uploads", answers);
        out.put("problems", problems);
        Api.Response ds = api.send("poisoner", "POST", "/api/v1/ingest/datasets", key,
                Map.of("name", "poison-" + tag.toLowerCase(), "profile", "organisation", "rowKey", List.of("registration_number")),
                Map.of("Idempotency-Key", "poison-" + tag), Duration.ofSeconds(30));
        if (ds.status() != 201 && ds.status() != 200) {
            problems.add("the poisoner's dataset could not be created: HTTP " + ds.status() + " " + ds.body());
            return out;
        }
        String id = ds.json().path("id").asText();
        int stored = 0;
        for (File f : files(tag)) {
            journal.event("poison", "uploading " + f.name() + " (" + f.content().length + " bytes)");
            Api.Response r = api.send("poisoner", "POST", "/api/v1/ingest/datasets/" + id + "/uploads" + f.query(), key, f.content(),
                    Map.of("Content-Type", "text/csv; charset=utf-8", "X-File-Name", f.name()), Duration.ofSeconds(120));
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("file", f.name());
            a.put("status", r.status());
            a.put("code", r.code());
            a.put("latencyMs", r.latencyMs());
            if (r.ok()) {
                stored++;
                long quarantined = r.json().path("version").path("rowsQuarantined").asLong(r.json().path("rowsQuarantined").asLong(0));
                a.put("rowsQuarantined", quarantined);
                if (quarantined == 0) {
                    problems.add(f.name() + " was stored (HTTP " + r.status() + ") with nothing quarantined");
                }
            } else if (r.status() == 0 || r.status() >= 500) {
                problems.add(f.name() + " answered " + (r.status() == 0 ? "nothing (" + r.error() + ")" : "HTTP " + r.status() + " " + r.code())
                        + ": a poisoned file must be a 4xx or quarantined");
            } else if (r.code() == null) {
                problems.add(f.name() + " answered HTTP " + r.status() + " without a problem code");
            }
            answers.add(a);
            journal.event("poison-answered", f.name() + ": HTTP " + r.status() + (r.code() != null ? " " + r.code() : ""));
        }
        // Nothing half-written: the poisoner's dataset holds a version for each stored file and no other.
        Api.Response v = api.send("poisoner", "GET", "/api/v1/ingest/datasets/" + id + "/versions?limit=100", key, null);
        JsonNode items = v.json().path("items");
        out.put("versions", items.size());
        if (v.status() != 200) {
            problems.add("the poisoner's versions could not be read: HTTP " + v.status());
        } else if (items.size() != stored) {
            problems.add("the poisoner's dataset holds " + items.size() + " versions after " + stored + " stored uploads");
        }
        return out;
    }
}
