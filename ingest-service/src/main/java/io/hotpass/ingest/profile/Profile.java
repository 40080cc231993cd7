package io.hotpass.ingest.profile;

import java.util.List;
import java.util.Optional;

/**
 * A canonical profile: the fields rows are mapped onto, each with its intent (type), synonyms and
 * the rule for values that cannot be normalised. Profiles are data ({@code profiles/<name>.json}).
 */
public record Profile(String name, String description, String defaultRegion, List<Field> fields) {

    public Optional<Field> field(String name) {
        return fields.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    public List<String> fieldNames() {
        return fields.stream().map(Field::name).toList();
    }

    /**
     * One canonical field.
     *
     * @param type the normaliser intent: text, email, phone, url, country, date, year, integer, decimal
     * @param onInvalid {@code quarantine} (the row goes to quarantine) or {@code keep_raw} (the raw value is kept and flagged)
     */
    public record Field(String name, String type, boolean required, String onInvalid, List<String> synonyms, Long min,
            Long max) {

        public Field {
            synonyms = synonyms == null ? List.of() : List.copyOf(synonyms);
            onInvalid = onInvalid == null ? "quarantine" : onInvalid;
            type = type == null ? "text" : type;
        }

        public boolean quarantines() {
            return "quarantine".equals(onInvalid);
        }
    }
}
