package io.hotpass.lineage.event;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * The canonical form is what content hashes are made of: a redelivery of an event stored by an
 * earlier version must hash the same. It is written straight from the tree now; it must be the same
 * text as the map form with sorted keys that the earlier versions stored.
 */
@QuarkusTest
class CanonicalJsonTest {

    @Inject
    LineageEventStore store;

    @Inject
    ObjectMapper mapper;

    @Test
    void theTreeIsWrittenAsTheSortedMapFormWasNumbersEscapesAndNestingIncluded() throws Exception {
        String[] events = {
            "{\"b\":1,\"a\":{\"z\":[3,{\"y\":null,\"x\":true}],\"m\":false},\"A\":\"upper before lower\"}",
            "{\"int\":2147483647,\"long\":9223372036854775807,\"big\":123456789012345678901234567890,\"neg\":-0,"
                    + "\"dbl\":1.5,\"exp\":1e300,\"small\":-2.5E-7,\"frac\":0.1000,\"zero\":0.0}",
            "{\"text\":\"quote \\\" backslash \\\\ tab \\t nl \\n ctl \\u0001 é ✓ \\ud83d\\ude00 </script>\","
                    + "\"é\":1,\"e\":2,\"\":3,\"_producer\":\"p\",\"empty\":{},\"none\":[]}",
            "[{\"b\":[[],[{}]],\"a\":\"x\"},1,\"s\",null]",
        };
        ObjectMapper mapForm = mapper.copy().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
        for (String json : events) {
            JsonNode tree = mapper.readTree(json);
            assertEquals(mapForm.writeValueAsString(mapForm.treeToValue(tree, Object.class)), store.canonicalJson(tree), json);
        }
    }
}
