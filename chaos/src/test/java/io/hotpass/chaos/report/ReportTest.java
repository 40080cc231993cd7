package io.hotpass.chaos.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotpass.chaos.drill.Journal;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

    static Journal journal() {
        Journal j = new Journal("policy-down", "policy-service down", "FM-05", "local");
        j.verdict = "PASS";
        j.steadyStateBefore = new Journal.SteadyState();
        j.steadyStateBefore.met = true;
        j.steadyStateAfter = j.steadyStateBefore;
        j.measures.faultInjectedAt = 1000L;
        j.measures.faultRolledBackAt = 21000L;
        j.measures.detectedAt = 1400L;
        j.measures.timeToDetectMs = 400L;
        j.measures.recoveredAt = 28000L;
        j.measures.mttrMs = 26600L;
        j.measures.requestsTotal = 20;
        j.measures.requestsFailed = 6;
        j.samples.add(new Journal.Sample(500, "datasets-list", true, 200, 12, null, null));
        j.samples.add(new Journal.Sample(1400, "datasets-list", false, 503, 3, "policy_unavailable", "status 503 not in [200]"));
        j.requests.add(new Journal.Request(2000, "workload", "POST", "/api/v1/contracts/validations", 503, 4, "abc", "policy_unavailable", null));
        j.event("fault", "policy-service stopped <&>");
        j.zeroLoss = new Journal.ZeroLoss();
        j.zeroLoss.rowsExpected = 2000;
        j.zeroLoss.rowsFound = 2000;
        j.settings.put("rows", 2000);
        return j;
    }

    @Test
    void theReportSaysVerdictMeasuresAndDataLostAndTheTimelineIsValidSvg(@TempDir Path dir) throws Exception {
        Path md = Report.write(journal(), dir.resolve("policy-down-1"));
        String text = Files.readString(md);
        assertTrue(text.startsWith("# Drill policy-down: PASS"), text);
        assertTrue(text.contains("| time to detect | 0.4 s |"), text);
        assertTrue(text.contains("| time to recover (MTTR) | 26.6 s |"), text);
        assertTrue(text.contains("| workload requests failed | 6 of 20"), text);
        assertTrue(text.contains("| data lost | 0 (zero-loss check passed) |"), text);
        assertTrue(text.contains("![latency and errors](policy-down-1.svg)"), text);
        Path svg = dir.resolve("policy-down-1.svg");
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile());
        assertEquals("svg", doc.getDocumentElement().getNodeName());
        String s = Files.readString(svg);
        assertTrue(s.contains("#fde2e2"), "the fault window is shaded");
        assertTrue(s.contains("stroke=\"#d00\""), "failures are drawn");
    }

    @Test
    void theFmeaRowOfTheFailureModeGetsTheLastResultAndNoOtherRowChanges(@TempDir Path dir) throws Exception {
        Path register = dir.resolve("fmea.md");
        Files.writeString(register, """
                | ID | Failure mode | Last result |
                | --- | --- | --- |
                | FM-04 | lineage down | never run |
                | FM-05 | policy down | never run |
                """);
        assertTrue(FmeaRegister.update(register, journal(), "docs/sre/drills/policy-down-1.md"));
        String after = Files.readString(register);
        assertTrue(after.contains("| FM-04 | lineage down | never run |"), after);
        assertTrue(after.contains("| FM-05 | policy down | " + journal().startedAt.substring(0, 10)
                + " `policy-down` (2000 rows): **PASS**, MTTR 26.6 s, data lost 0 ([report](docs/sre/drills/policy-down-1.md)) |"), after);
        assertTrue(FmeaRegister.update(register, journal(), "chaos/target/drills/policy-down-1.md"));
        assertTrue(Files.readString(register).contains("data lost 0 |"), "no link into a build directory");
        Journal other = journal();
        other.failureMode = "FM-99";
        assertFalse(FmeaRegister.update(register, other, null));
    }
}
