package io.hotpass.chaos.report;

import io.hotpass.chaos.drill.Journal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A journal as an SRE reads it: a Markdown report (verdict, steady state before and after, time to
 * detect, MTTR, requests failed, data lost, the zero-loss findings, the timeline of events) beside
 * an SVG timeline of probe and request latency with errors in red and the fault window shaded.
 */
public final class Report {

    private Report() {
    }

    /** Writes {@code <base>.md} and {@code <base>.svg}; answers the Markdown file. */
    public static Path write(Journal j, Path base) throws IOException {
        Path md = base.resolveSibling(base.getFileName() + ".md");
        Path svg = base.resolveSibling(base.getFileName() + ".svg");
        Files.createDirectories(md.toAbsolutePath().getParent());
        Files.writeString(svg, svg(j));
        Files.writeString(md, markdown(j, svg.getFileName().toString()));
        return md;
    }

    public static String markdown(Journal j, String svgName) {
        Journal.Measures m = j.measures;
        StringBuilder sb = new StringBuilder();
        sb.append("# Drill ").append(j.scenario).append(": ").append(j.verdict).append("\n\n");
        if (j.title != null) {
            sb.append(j.title).append("\n\n");
        }
        sb.append("| | |\n| --- | --- |\n");
        row(sb, "failure mode", j.failureMode + " (docs/sre/fmea.md)");
        row(sb, "target", j.target);
        row(sb, "started / finished", j.startedAt + " / " + j.finishedAt);
        row(sb, "steady state before", j.steadyStateBefore == null ? "not checked" : j.steadyStateBefore.met ? "met" : "NOT met: " + j.steadyStateBefore.failures);
        row(sb, "steady state after", j.steadyStateAfter == null ? "not checked" : j.steadyStateAfter.met ? "met" : "NOT met: " + j.steadyStateAfter.failures);
        row(sb, "time to detect", ms(m.timeToDetectMs) + (m.faultInjectedAt != null && m.detectedAt == null ? " (no probe noticed the fault)" : ""));
        row(sb, "time to recover (MTTR)", ms(m.mttrMs));
        row(sb, "fault → all probes green", ms(m.outageMs));
        row(sb, "runs settled in", ms(m.runsSettledMs) + " (no upload or validation run left running, sweepers included)");
        row(sb, "outbox drained in", ms(m.outboxDrainMs));
        row(sb, "workload requests failed", m.requestsFailed + " of " + m.requestsTotal + " (no answer or 5xx; retried)");
        row(sb, "probe samples failed", m.probesFailed + " of " + m.probesTotal);
        row(sb, "data lost", j.zeroLoss == null ? "not checked" : j.zeroLoss.dataLost + (j.zeroLoss.problems.isEmpty() ? " (zero-loss check passed)" : ""));
        row(sb, "verdict", "**" + j.verdict + "**");
        sb.append('\n');
        if (!j.reasons.isEmpty()) {
            sb.append("## Why not PASS\n\n");
            j.reasons.forEach(r -> sb.append("- ").append(r).append('\n'));
            sb.append('\n');
        }
        sb.append("## Timeline\n\n![latency and errors](").append(svgName).append(")\n\n");
        sb.append("| t (s) | event | detail |\n| ---: | --- | --- |\n");
        synchronized (j.events) {
            for (Journal.Event e : j.events) {
                sb.append(String.format(Locale.ROOT, "| %.1f | %s | %s |%n", e.t / 1000.0, e.kind, e.detail == null ? "" : e.detail.replace("|", "\\|")));
            }
        }
        if (j.zeroLoss != null) {
            Journal.ZeroLoss z = j.zeroLoss;
            sb.append("\n## Zero-loss check\n\n| what | expected | found | missing | duplicated |\n| --- | ---: | ---: | ---: | ---: |\n");
            sb.append(String.format(Locale.ROOT, "| rows (upload version%s) | %d | %d | %d | %d |%n", z.changesetVersions > 0 ? " and committed version" : "",
                    z.rowsExpected, z.rowsFound, z.rowsMissing, z.rowsDuplicated));
            sb.append(String.format(Locale.ROOT, "| lineage events (outbox ids) | %d | %d | %d | %d |%n", z.lineageEventsExpected, z.lineageEventsDelivered,
                    z.lineageEventsMissing, z.lineageEventsDuplicated));
            sb.append(String.format(Locale.ROOT, "| audit entries (trace ids + outbox ids) | %d | %d | %d | %d |%n", z.auditEntriesExpected, z.auditEntriesFound,
                    z.auditEntriesMissing, z.auditEntriesDuplicated));
            sb.append("\nUpload versions: ").append(z.uploadVersions).append("; upload runs: ").append(z.uploadRuns).append(" (")
                    .append(z.uploadRunsFailedCleanly).append(" failed cleanly); change-set versions: ").append(z.changesetVersions)
                    .append(" with ").append(z.committedChanges).append(" committed changes found; validation runs: ").append(z.validationRuns)
                    .append(" (").append(z.validationRunsIncomplete).append(" incomplete); audit chain valid: ").append(z.auditChainValid)
                    .append("; mutating requests the gateway refused on its own (not audited by design): ").append(z.auditNotExpected).append(".\n");
            if (!z.problems.isEmpty()) {
                sb.append('\n');
                z.problems.forEach(p -> sb.append("- ").append(p).append('\n'));
            }
        }
        if (j.flood != null) {
            sb.append("\n## Flood\n\n| figure | value |\n| --- | --- |\n");
            j.flood.forEach((k, v) -> row(sb, k, String.valueOf(v)));
        }
        sb.append("\n## Probes\n\n| probe | samples | failed | p50 ms | p99 ms |\n| --- | ---: | ---: | ---: | ---: |\n");
        Map<String, List<Journal.Sample>> byProbe = new LinkedHashMap<>();
        synchronized (j.samples) {
            j.samples.forEach(s -> byProbe.computeIfAbsent(s.probe, k -> new ArrayList<>()).add(s));
        }
        byProbe.forEach((p, list) -> {
            List<Long> lat = list.stream().map(s -> s.latencyMs).sorted().toList();
            sb.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d |%n", p, list.size(), list.stream().filter(s -> !s.ok).count(),
                    pct(lat, 50), pct(lat, 99)));
        });
        return sb.toString();
    }

    private static void row(StringBuilder sb, String k, String v) {
        sb.append("| ").append(k).append(" | ").append(v.replace("|", "\\|")).append(" |\n");
    }

    private static String ms(Long ms) {
        return ms == null ? "–" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    private static long pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    /** Latency (log scale) of every probe sample and workload request over time; failures as red crosses on top. */
    public static String svg(Journal j) {
        int w = 960;
        int h = 360;
        int left = 60;
        int right = 20;
        int top = 30;
        int bottom = 40;
        List<long[]> points = new ArrayList<>(); // t, latency, ok, kind
        synchronized (j.samples) {
            j.samples.forEach(s -> points.add(new long[] {s.t, Math.max(1, s.latencyMs), s.ok ? 1 : 0, 0}));
        }
        synchronized (j.requests) {
            j.requests.forEach(r -> points.add(new long[] {r.t, Math.max(1, r.latencyMs), r.failed() ? 0 : 1, 1}));
        }
        long tMax = 1;
        long lMax = 10;
        for (long[] p : points) {
            tMax = Math.max(tMax, p[0] + p[1]);
            lMax = Math.max(lMax, p[1]);
        }
        synchronized (j.events) {
            for (Journal.Event e : j.events) {
                tMax = Math.max(tMax, e.t);
            }
        }
        double logMax = Math.log10(lMax * 1.2);
        final long tm = tMax;
        java.util.function.LongFunction<Double> x = t -> left + (double) t / tm * (w - left - right);
        java.util.function.LongFunction<Double> y = l -> top + (h - top - bottom) * (1 - Math.log10(Math.max(1, l)) / logMax);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"11\">%n", w, h));
        sb.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", w, h));
        Journal.Measures m = j.measures;
        if (m.faultInjectedAt != null) {
            long end = m.faultRolledBackAt != null ? m.faultRolledBackAt : tMax;
            sb.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#fde2e2\"/>%n", x.apply(m.faultInjectedAt), top,
                    Math.max(1, x.apply(end) - x.apply(m.faultInjectedAt)), h - top - bottom));
        }
        if (m.recoveredAt != null) {
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"green\" stroke-dasharray=\"4 3\"/>%n",
                    x.apply(m.recoveredAt), x.apply(m.recoveredAt), top, h - bottom));
        }
        for (long ms : new long[] {1, 10, 100, 1000, 10000, 100000}) {
            if (ms > lMax * 1.2) {
                break;
            }
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/><text x=\"4\" y=\"%.1f\">%s</text>%n", left,
                    w - right, y.apply(ms), y.apply(ms), y.apply(ms) + 4, ms >= 1000 ? ms / 1000 + " s" : ms + " ms"));
        }
        for (long[] p : points) {
            if (p[2] == 1) {
                sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"1.6\" fill=\"%s\"/>%n", x.apply(p[0]), y.apply(p[1]),
                        p[3] == 0 ? "#3b6fb6" : "#999"));
            }
        }
        for (long[] p : points) {
            if (p[2] == 0) {
                double cx = x.apply(p[0]);
                double cy = y.apply(p[1]);
                sb.append(String.format(Locale.ROOT, "<path d=\"M%.1f %.1fl5 5m0 -5l-5 5\" stroke=\"#d00\" stroke-width=\"1.5\"/>%n", cx - 2.5, cy - 2.5));
            }
        }
        sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", left, w - right, h - bottom, h - bottom));
        long step = Math.max(1, tMax / 1000 / 10) * 1000;
        for (long t = 0; t <= tMax; t += step) {
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d s</text>%n", x.apply(t), h - bottom + 15, t / 1000));
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"13\">%s — %s: blue probes, grey workload requests, red × failures, "
                + "shaded fault, dashed green recovered</text>%n", left, esc(j.scenario), esc(j.verdict)));
        sb.append("</svg>\n");
        return sb.toString();
    }

    private static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
