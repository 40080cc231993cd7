package io.hotpass.contracts.validation;

import io.hotpass.contracts.engine.ExpectationResult;
import io.hotpass.contracts.engine.FailingRow;
import java.util.Map;

/**
 * "Data docs": a validation run as a self-contained HTML page a person can read. Summary first,
 * then every expectation, then the failing samples of each failed one. Every value from data or
 * contracts goes through {@link #esc}; the page loads nothing from elsewhere.
 */
final class ReportHtml {

    private ReportHtml() {
    }

    static String render(ValidationView v) {
        StringBuilder b = new StringBuilder(16 * 1024);
        b.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>Validation of ").append(esc(v.datasetName())).append(" v").append(v.version())
                .append(" — ").append(esc(v.status())).append("</title><style>")
                .append("body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1b1f24;max-width:72rem}")
                .append("h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin-top:2rem}")
                .append("table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border-bottom:1px solid #d0d7de;")
                .append("padding:.35rem .5rem;text-align:left;vertical-align:top}th{background:#f6f8fa}")
                .append(".badge{display:inline-block;padding:.1rem .6rem;border-radius:1rem;font-weight:600;color:#fff}")
                .append(".passed,.ok{background:#1a7f37}.failed,.bad{background:#cf222e}.warned,.warn{background:#9a6700}")
                .append(".queued,.running,.error{background:#57606a}code{background:#f6f8fa;padding:0 .25rem}")
                .append("dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}dt{color:#57606a}")
                .append("</style></head><body>");
        b.append("<h1>").append(esc(v.datasetName())).append(" · version ").append(v.version()).append(" <span class=\"badge ")
                .append(esc(v.status())).append("\">").append(esc(v.status())).append("</span></h1>");
        b.append("<dl>");
        dd(b, "Contract", v.contract().name() + " " + v.contract().version());
        dd(b, "Rows", v.rowCount() == null ? "—" : String.format("%,d", v.rowCount()));
        if (v.summary() != null) {
            dd(b, "Expectations", v.summary().expectations() + " evaluated, " + v.summary().passed() + " passed, "
                    + v.summary().failedErrors() + " failed (error), " + v.summary().failedWarnings() + " failed (warn)");
        }
        dd(b, "Duration", v.durationMs() == null ? "—" : v.durationMs() + " ms");
        dd(b, "Started", String.valueOf(v.startedAt()));
        dd(b, "Run", v.id().toString());
        if (v.error() != null) {
            dd(b, "Error", v.error());
        }
        b.append("</dl>");
        if (v.expectations() != null) {
            b.append("<h2>Expectations</h2><table><thead><tr><th>Result</th><th>Expectation</th><th>Severity</th>")
                    .append("<th>Observed</th><th>Failing rows</th><th>Detail</th></tr></thead><tbody>");
            for (ExpectationResult r : v.expectations()) {
                String cls = r.success() ? "ok" : "error".equals(r.severity()) ? "bad" : "warn";
                b.append("<tr><td><span class=\"badge ").append(cls).append("\">").append(r.success() ? "pass" : "fail")
                        .append("</span></td><td><code>").append(esc(r.id())).append("</code></td><td>").append(esc(r.severity()))
                        .append("</td><td>").append(esc(String.valueOf(r.observed()))).append("</td><td>")
                        .append(String.format("%,d", r.failingCount())).append(r.evaluated() > 0 && r.failingCount() > 0
                                ? String.format(" (%.2f%%)", r.failingFraction() * 100) : "")
                        .append("</td><td>").append(esc(r.detail())).append("</td></tr>");
            }
            b.append("</tbody></table>");
            for (ExpectationResult r : v.expectations()) {
                if (r.failingSamples().isEmpty()) {
                    continue;
                }
                b.append("<h2 id=\"").append(esc(r.id())).append("\">Failing samples: <code>").append(esc(r.id()))
                        .append("</code></h2><p>First ").append(r.failingSamples().size()).append(" of ")
                        .append(String.format("%,d", r.failingCount())).append(" failing rows.</p>")
                        .append("<table><thead><tr><th>Row</th><th>Values</th></tr></thead><tbody>");
                for (FailingRow f : r.failingSamples()) {
                    b.append("<tr><td><code>").append(esc(f.rowId())).append("</code></td><td>");
                    for (Map.Entry<String, Object> e : f.values().entrySet()) {
                        b.append("<code>").append(esc(e.getKey())).append("</code> = ")
                                .append(e.getValue() == null ? "<em>null</em>" : "<code>" + esc(String.valueOf(e.getValue())) + "</code>")
                                .append(' ');
                    }
                    b.append("</td></tr>");
                }
                b.append("</tbody></table>");
            }
        }
        return b.append("</body></html>").toString();
    }

    private static void dd(StringBuilder b, String term, String value) {
        b.append("<dt>").append(esc(term)).append("</dt><dd>").append(esc(value)).append("</dd>");
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
