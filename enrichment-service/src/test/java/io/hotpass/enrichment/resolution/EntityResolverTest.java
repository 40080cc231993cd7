package io.hotpass.enrichment.resolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntityResolverTest {

    /**
     * src/test/resources/resolution/orgs-3000-seed11.* come from
     * {@code gen_orgs.py 3000 --seed 11 --truth orgs-3000-seed11.truth.csv}: 3,000 rows, about 5 %
     * near-duplicates (typos, upper case, other phone formats, dropped cells).
     */
    @Test
    void findsGeneratedDuplicatesWithHighF1() throws IOException {
        List<OrgRecord> records;
        List<String[]> truth;
        try (Reader csv = GeneratedOrgs.resource("orgs-3000-seed11.csv");
                Reader t = GeneratedOrgs.resource("orgs-3000-seed11.truth.csv")) {
            records = GeneratedOrgs.records(csv);
            truth = GeneratedOrgs.truth(t);
        }
        ResolutionResult result = new EntityResolver(ResolutionSettings.defaults()).resolve(records);
        PairwiseQuality q = PairwiseQuality.of(result.clusters(), truth);

        assertEquals(3000, result.records());
        assertTrue(q.f1() >= 0.9, "F1 " + q);
        assertTrue(q.precision() >= 0.9, "precision " + q);
        assertTrue(q.recall() >= 0.9, "recall " + q);
        // Blocking must avoid all-pairs comparison: well under 1 % of the 4.5 million pairs.
        assertTrue(result.pairsCompared() < result.allPairs() / 100, "compared " + result.pairsCompared());
        assertTrue(result.reductionRatio() > 0.99);
        // EM learnt that an equal registration number is strong evidence and a different one is against.
        FellegiSunterModel.LevelParameters regEqual = level(result.model(), "registration_number", "equal");
        FellegiSunterModel.LevelParameters regDifferent = level(result.model(), "registration_number", "different");
        assertTrue(regEqual.weight() > 5, "registration equal weight " + regEqual);
        assertTrue(regDifferent.weight() < -2, "registration different weight " + regDifferent);
    }

    @Test
    void linksCarryTheirEvidence() {
        List<OrgRecord> records = new ArrayList<>();
        records.add(new OrgRecord("a", "Blue Sky Aviation (Pty) Ltd", "info@bluesky.co.za", "082 123 4567",
                "www.bluesky.co.za", "2001/123456/07"));
        records.add(new OrgRecord("b", "BLUE SKY AVAITION", "ops@bluesky.co.za", "+27 82 123 4567",
                "https://bluesky.co.za/", "2001/123456/07"));
        for (int i = 0; i < 200; i++) {
            records.add(new OrgRecord("o" + i, "Org " + i + " Aviation", "info@org" + i + ".co.za",
                    String.format("011 %03d %04d", i, i), "org" + i + ".co.za", String.format("2001/%06d/07", i)));
        }
        ResolutionResult result = new EntityResolver(ResolutionSettings.defaults()).resolve(records);
        assertEquals(1, result.clusters().size(), result.clusters().toString());
        ResolutionResult.Cluster c = result.clusters().get(0);
        assertEquals(List.of("a", "b"), c.recordIds());
        ResolutionResult.Link link = c.links().get(0);
        assertTrue(link.probability() >= 0.95);
        assertTrue(link.evidence().get("registration_number:equal") > 0);
        assertTrue(link.evidence().containsKey("name:levenshtein<=2"), link.evidence().toString());
    }

    @Test
    void chainGuardStopsOneClusterSwallowingAChain() {
        // Twelve records that all share a phone, a domain and a registration number look like one
        // organisation; the size cap still refuses to grow a cluster past its limit.
        List<OrgRecord> records = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            records.add(new OrgRecord("c" + i, "Chain Aviation", "info@chain.co.za", "021 555 0000", "chain.co.za",
                    "2001/000001/07"));
        }
        for (int i = 0; i < 300; i++) {
            records.add(new OrgRecord("o" + i, "Other " + i + " Flight School", "info@other" + i + ".co.za",
                    String.format("012 %03d %04d", i, i), "other" + i + ".co.za", String.format("1999/%06d/23", i)));
        }
        ResolutionResult result = new EntityResolver(ResolutionSettings.defaults().withMaxClusterSize(5))
                .resolve(records);
        assertTrue(result.clusters().stream().allMatch(c -> c.recordIds().size() <= 5), result.clusters().toString());
        assertTrue(result.linksRejectedByChainGuard() > 0);
        assertEquals(12, result.clusters().stream().mapToInt(c -> c.recordIds().size()).sum());
    }

    @Test
    void oversizedBlocksAreSkippedButOtherRulesStillPair() {
        List<OrgRecord> records = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            // Same name for everyone (one huge name block), distinct otherwise.
            records.add(new OrgRecord("s" + i, "Same Name Aviation", null, String.format("011 %03d %04d", i, i), null,
                    String.format("2005/%06d/07", i)));
        }
        records.add(new OrgRecord("dup", "Same Name Aviation", null, "011 007 0007", null, "2005/000007/07"));
        ResolutionResult result = new EntityResolver(ResolutionSettings.defaults().withMaxBlockSize(10))
                .resolve(records);
        assertTrue(result.oversizedBlocks() >= 1);
        assertTrue(result.pairsCompared() < 51 * 50 / 2);
        assertTrue(result.clusters().stream().anyMatch(c -> c.recordIds().containsAll(List.of("s7", "dup"))),
                result.clusters().toString());
    }

    private static FellegiSunterModel.LevelParameters level(FellegiSunterModel m, String comparison, String level) {
        return m.parameters().stream().filter(p -> p.comparison().equals(comparison) && p.level().equals(level))
                .findFirst().orElseThrow();
    }
}
