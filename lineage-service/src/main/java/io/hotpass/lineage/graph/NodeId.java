package io.hotpass.lineage.graph;

import io.hotpass.platform.problem.ProblemException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A Marquez node id: {@code dataset:<namespace>:<name>}, {@code job:<namespace>:<name>},
 * {@code run:<uuid>} or {@code datasetField:<namespace>:<dataset>:<field>}. Namespaces are often URIs
 * with colons of their own ({@code postgres://db:5432}), so a dataset or job id can be split in
 * several places; {@link #splits()} lists them all and the lookup keeps the one that exists.
 */
public record NodeId(String type, String rest) {

    public static NodeId parse(String value, String field) {
        if (value == null || value.isBlank()) {
            throw ProblemException.badRequest(field, "is required");
        }
        int colon = value.indexOf(':');
        String type = colon < 0 ? "" : value.substring(0, colon);
        String rest = colon < 0 ? "" : value.substring(colon + 1);
        switch (type) {
            case "dataset", "job", "datasetField" -> {
                if (rest.indexOf(':') <= 0 || rest.endsWith(":")) {
                    throw ProblemException.badRequest(field, "must be " + type + ":<namespace>:<name>");
                }
            }
            case "run" -> {
                try {
                    UUID.fromString(rest);
                } catch (IllegalArgumentException e) {
                    throw ProblemException.badRequest(field, "run:<uuid> needs a UUID");
                }
            }
            default -> throw ProblemException.badRequest(field,
                    "must start with dataset:, job:, run: or datasetField: (e.g. dataset:<namespace>:<name>)");
        }
        return new NodeId(type, rest);
    }

    /** The (namespace, name) readings of {@link #rest}, one per colon. */
    public List<String[]> splits() {
        List<String[]> out = new ArrayList<>();
        for (int i = rest.indexOf(':'); i > 0; i = rest.indexOf(':', i + 1)) {
            if (i < rest.length() - 1) {
                out.add(new String[] {rest.substring(0, i), rest.substring(i + 1)});
            }
        }
        return out;
    }

    public UUID runId() {
        return UUID.fromString(rest);
    }

    public static String dataset(String namespace, String name) {
        return "dataset:" + namespace + ":" + name;
    }

    public static String job(String namespace, String name) {
        return "job:" + namespace + ":" + name;
    }

    public static String run(UUID id) {
        return "run:" + id;
    }

    public static String field(String namespace, String dataset, String field) {
        return "datasetField:" + namespace + ":" + dataset + ":" + field;
    }
}
