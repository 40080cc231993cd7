package io.hotpass.ingest.profile;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotpass.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The registry of canonical profiles, loaded once from {@code profiles/*.json} on the class path. */
@ApplicationScoped
public class Profiles {

    /** Profiles shipped with the service; adding one is adding its JSON file and its name here. */
    public static final Set<String> NAMES = Set.of("organisation");

    private final Map<String, Profile> byName = new TreeMap<>();

    public Profiles() {
        ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        for (String name : NAMES) {
            try (InputStream in = Profiles.class.getClassLoader().getResourceAsStream("profiles/" + name + ".json")) {
                if (in == null) {
                    throw new IllegalStateException("Missing profile resource profiles/" + name + ".json");
                }
                byName.put(name, json.readValue(in, Profile.class));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public Profile get(String name) {
        Profile p = byName.get(name);
        if (p == null) {
            throw new ProblemException(422, "unknown_profile", "Unknown profile",
                    "profile: '" + name + "' is not one of " + byName.keySet())
                    .with("errors", List.of(Map.of("field", "profile", "reason", "unknown profile")));
        }
        return p;
    }

    public boolean exists(String name) {
        return byName.containsKey(name);
    }
}
