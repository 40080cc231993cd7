package io.hotpass.enrichment.resolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Record linkage of a dataset against a reference (issue 7: "between a dataset and a reference
 * dataset"), on gen_orgs.py's 3,000 rows split in two: the reference holds every original that has
 * near-duplicates plus half of the other organisations; the dataset holds the near-duplicates (each
 * must find its original) plus the other half (each must find nothing — they are not in the
 * reference).
 */
class RecordLinkageTest {

    private static final List<OrgRecord> dataset = new ArrayList<>();
    private static final List<OrgRecord> reference = new ArrayList<>();
    private static final Map<String, String> originalOf = new HashMap<>();

    @BeforeAll
    static void split() throws IOException {
        List<OrgRecord> records;
        try (Reader csv = GeneratedOrgs.resource("orgs-3000-seed11.csv");
                Reader t = GeneratedOrgs.resource("orgs-3000-seed11.truth.csv")) {
            records = GeneratedOrgs.records(csv);
            for (String[] pair : GeneratedOrgs.truth(t)) {
                originalOf.put(pair[0], pair[1]);
            }
        }
        boolean toDataset = false;
        for (OrgRecord r : records) {
            if (originalOf.containsKey(r.id())) {
                dataset.add(r);
            } else if (originalOf.containsValue(r.id())) {
                reference.add(r);
            } else {
                (toDataset ? dataset : reference).add(r);
                toDataset = !toDataset;
            }
        }
    }

    @Test
    void linksNearDuplicatesToTheirReferenceRowAndNothingElse() {
        LinkageResult result = new EntityResolver(ResolutionSettings.defaults()).link(dataset, reference);

        int correct = 0;
        for (ResolutionResult.Link link : result.links().values()) {
            if (link.right().equals(originalOf.get(link.left()))) {
                correct++;
            }
            assertTrue(link.probability() >= ResolutionSettings.defaults().matchProbability(), link.toString());
        }
        double precision = (double) correct / result.links().size();
        double recall = (double) correct / originalOf.size();
        assertTrue(precision >= 0.95, "precision " + precision + " (" + correct + " of " + result.links().size() + ")");
        assertTrue(recall >= 0.9, "recall " + recall + " (" + correct + " of " + originalOf.size() + ")");
        assertEquals(dataset.size(), result.records());
        assertEquals(reference.size(), result.referenceRecords());
        // Only pairs across the two sides, and far fewer than all of them.
        assertTrue(result.pairsCompared() < result.allPairs() / 100, "compared " + result.pairsCompared());
        // Every link names a dataset record on the left and a reference record on the right.
        List<String> referenceIds = reference.stream().map(OrgRecord::id).toList();
        result.links().forEach((id, link) -> {
            assertEquals(id, link.left());
            assertTrue(referenceIds.contains(link.right()), link.toString());
            assertFalse(link.evidence().isEmpty(), "a link explains its weight");
        });
    }

    @Test
    void aReferenceListingTheSameOrganisationTwiceLinksNeither() {
        // Copy one original into the reference under another id: its near-duplicates now have two
        // equally good candidates, and a guess between them would be a coin toss.
        String original = originalOf.values().iterator().next();
        OrgRecord o = reference.stream().filter(r -> r.id().equals(original)).findFirst().orElseThrow();
        List<OrgRecord> doubled = new ArrayList<>(reference);
        doubled.add(new OrgRecord("copy-of-" + original, o.name(), o.email(), o.phone(), o.website(),
                o.registrationNumber()));
        LinkageResult result = new EntityResolver(ResolutionSettings.defaults()).link(dataset, doubled);

        List<String> dups = originalOf.entrySet().stream().filter(e -> e.getValue().equals(original))
                .map(Map.Entry::getKey).toList();
        for (String dup : dups) {
            assertNull(result.links().get(dup), "linked although ambiguous: " + result.links().get(dup));
        }
        LinkageResult single = new EntityResolver(ResolutionSettings.defaults()).link(dataset, reference);
        long linkedBefore = dups.stream().filter(d -> single.links().containsKey(d)).count();
        assertTrue(linkedBefore > 0, "the duplicates of " + original + " were linked before the copy");
        assertEquals(linkedBefore, result.ambiguous() - single.ambiguous());
    }

    @Test
    void emptySidesLinkNothing() {
        EntityResolver resolver = new EntityResolver(ResolutionSettings.defaults());
        assertTrue(resolver.link(List.of(), reference).links().isEmpty());
        assertTrue(resolver.link(dataset, List.of()).links().isEmpty());
    }
}
