package io.hotpass.enrichment.crawl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hotpass.enrichment.crawl.FixtureSite.Page;
import io.hotpass.enrichment.extract.PageExtractor;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The body of bench/crawl/run (not a test): 20 loopback hosts (127.0.0.1–127.0.0.20) with 50
 * pages each (1,000 pages), robots.txt with a Disallow and crawl-delays of 0.1–0.4 s, crawled in
 * parallel (one queue per host). Reports pages/s against the politeness bound (the slowest host
 * fetched back to back at exactly its delay) and proves from the servers' own arrival times that no host was hit faster
 * than its delay, and that no disallowed page was fetched.
 *
 * <p>Usage: {@code CrawlBenchmark [HOSTS] [PAGES_PER_HOST]}
 */
public final class CrawlBenchmark {

    private CrawlBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int perHost = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        List<FixtureSite> sites = new ArrayList<>();
        List<Duration> delays = new ArrayList<>();
        Set<String> allowed = new HashSet<>();
        for (int h = 0; h < hosts; h++) {
            FixtureSite site = new FixtureSite("127.0.0." + (h + 1));
            long delayMs = 100L * (1 + h % 4);
            delays.add(Duration.ofMillis(delayMs));
            site.page("/robots.txt", Page.text(200, "User-agent: *\nDisallow: /private/\nCrawl-delay: "
                    + (delayMs / 1000.0) + "\n"));
            StringBuilder home = new StringBuilder("<html><body><h1>Org " + h + "</h1>");
            for (int p = 1; p < perHost; p++) {
                home.append("<a href=\"/p").append(p).append("\">p").append(p).append("</a> ");
                site.page("/p" + p, Page.html("<p>Page " + p + " of org " + h + ". Call 021 555 " + String.format(
                        "%04d", p) + " or mail <a href=\"mailto:info@org" + h + ".co.za\">us</a>.</p>"
                        + "<a href=\"/\">home</a> <a href=\"/private/p" + p + "\">staff</a>"));
            }
            home.append("</body></html>");
            site.page("/", Page.html(home.toString()));
            sites.add(site);
            allowed.add(site.host());
        }
        CrawlSettings settings = CrawlSettings.defaults().withAllowedPrivateHosts(allowed)
                .withDelays(Duration.ofMillis(50), Duration.ofSeconds(10))
                .withLimits(2, perHost, 1024 * 1024, Duration.ofSeconds(20));
        ObjectMapper json = new ObjectMapper();
        long start;
        long pages = 0;
        try (PageFetcher fetcher = new PageFetcher(settings)) {
            // One attempt per fetch: SmallRye's guards need the CDI container, which this main() does not start;
            // the fixture hosts never fail, so HostGuards would make exactly the same requests.
            GuardedFetcher guarded = new GuardedFetcher(fetcher, new HostPoliteness(), FetchGuard.SINGLE_ATTEMPT);
            RobotsPolicy robots = new RobotsPolicy(guarded, settings, Clock.systemUTC());
            PageExtractor extractor = new PageExtractor("ZA");
            ExecutorService pool = Executors.newFixedThreadPool(hosts);
            start = System.nanoTime();
            List<Future<SiteCrawler.Report>> reports = new ArrayList<>();
            for (FixtureSite s : sites) {
                reports.add(pool.submit(() -> new SiteCrawler(settings, guarded, robots, extractor)
                        .crawl(s.base())));
            }
            for (Future<SiteCrawler.Report> f : reports) {
                pages += f.get().visits().stream().filter(v -> v.outcome().equals("ok")).count();
            }
            pool.shutdown();
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        // Proof from the servers' side: gaps between consecutive requests to each host.
        double idealSeconds = 0;
        int violations = 0;
        int disallowedFetched = 0;
        double minGapRatio = Double.MAX_VALUE;
        ArrayNode perHostOut = json.createArrayNode();
        long requests = 0;
        for (int h = 0; h < hosts; h++) {
            List<FixtureSite.Hit> hits = sites.get(h).hits();
            requests += hits.size();
            long delayNanos = delays.get(h).toNanos();
            // The fastest a polite crawler can finish this host: one delay between consecutive requests.
            idealSeconds = Math.max(idealSeconds, (hits.size() - 1) * delayNanos / 1e9);
            long minGap = Long.MAX_VALUE;
            for (int i = 1; i < hits.size(); i++) {
                long gap = hits.get(i).nanoTime() - hits.get(i - 1).nanoTime();
                minGap = Math.min(minGap, gap);
                if (gap < delayNanos) {
                    violations++;
                }
            }
            disallowedFetched += (int) hits.stream().filter(x -> x.path().startsWith("/private/")).count();
            minGapRatio = Math.min(minGapRatio, (double) minGap / delayNanos);
            ObjectNode o = perHostOut.addObject();
            o.put("host", sites.get(h).host());
            o.put("delay_ms", delays.get(h).toMillis());
            o.put("requests", hits.size());
            o.put("min_gap_ms", Math.round(minGap / 1e4) / 100.0);
            sites.get(h).close();
        }
        double idealPagesPerSecond = pages / idealSeconds;
        double ours = pages / seconds;
        double ratio = ours / idealPagesPerSecond;
        ObjectNode out = json.createObjectNode();
        out.put("benchmark", "crawl");
        out.put("metric", "pages_per_s");
        ObjectNode o = out.putObject("ours");
        o.put("pages_per_s", Math.round(ours * 100) / 100.0);
        o.put("pages", pages);
        o.put("requests", requests);
        o.put("wall_s", Math.round(seconds * 100) / 100.0);
        o.put("politeness_violations", violations);
        o.put("min_gap_over_delay", Math.round(minGapRatio * 1000) / 1000.0);
        o.put("disallowed_fetched", disallowedFetched);
        ObjectNode peer = out.putObject("peer");
        peer.put("name", "politeness bound: the slowest host fetched back to back at exactly its crawl-delay");
        peer.put("pages_per_s", Math.round(idealPagesPerSecond * 100) / 100.0);
        out.put("ratio", Math.round(ratio * 1000) / 1000.0);
        out.put("target", ">=0.9");
        out.put("met", ratio >= 0.9 && violations == 0 && disallowedFetched == 0);
        out.put("hosts", hosts);
        out.set("per_host", perHostOut);
        ObjectNode machine = out.putObject("machine");
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        System.out.println(json.writeValueAsString(out));
    }
}
