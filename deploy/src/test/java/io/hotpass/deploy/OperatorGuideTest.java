package io.hotpass.deploy;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The operator guide's configuration reference is generated from the chart, and its links resolve. */
class OperatorGuideTest {

    @Test
    void configurationReferenceMatchesTheValuesSchema() {
        String drift = Repository.drift(ValuesReference.FILE, ValuesReference.generate());
        assertNull(drift, drift);
    }

    @Test
    void everyValuesKeyIsDocumented() {
        String reference = ValuesReference.generate();
        for (String key : new String[] {"gateway.signingKey.existingSecret", "gateway.signingKey.previousPublicKeys", "database.mode",
                "networkPolicy.egress.internet.exceptCidrs", "services.<name>.runners.enabled", "tests.authenticatedPath"}) {
            assertTrue(reference.contains("`" + key + "`"), key + " missing from the reference");
        }
    }

    @Test
    void relativeLinksInTheGuideResolve() {
        for (String doc : new String[] {"docs/operations/README.md", ValuesReference.FILE}) {
            String text = Repository.read(doc);
            Matcher links = Pattern.compile("\\]\\(([^)#:]+)(#[^)]*)?\\)").matcher(text);
            while (links.find()) {
                String target = links.group(1);
                java.nio.file.Path resolved = Repository.resolve(doc).getParent().resolve(target).normalize();
                assertTrue(java.nio.file.Files.exists(resolved), doc + " links to a missing " + target);
            }
        }
    }
}
