package io.hotpass.enrichment.crawl;

import io.hotpass.enrichment.evidence.Candidate;
import io.hotpass.enrichment.extract.PageExtractor;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Crawls one organisation's website breadth-first from its start page, staying on the start
 * host: robots.txt checked for every URL (and every redirect hop), the host's politeness delay
 * (robots crawl-delay up to the cap, at least the minimum), depth, page and size limits, the trap
 * guards, and extraction of candidates from every HTML page. Never throws for what a site does;
 * every URL's outcome is in the report.
 */
public final class SiteCrawler {

    /** What happened to one URL. */
    public record Visit(URI uri, int depth, String outcome, int status, String detail, Instant at) {
    }

    /**
     * The result of crawling one site.
     *
     * @param status {@code ok} (at least one page fetched), {@code circuit_open} (nothing fetched: the host's
     *        circuit breaker was open), {@code unreachable} (nothing fetched: network errors or timeouts,
     *        DNS failures included), {@code nothing_fetched} (the site answered, but no page could be used:
     *        errors, robots.txt, limits) or {@code invalid_url}
     */
    public record Report(URI start, String status, List<Visit> visits, List<Candidate> candidates,
            Map<String, Integer> outcomes) {
    }

    private final CrawlSettings settings;
    private final GuardedFetcher fetcher;
    private final RobotsPolicy robots;
    private final PageExtractor extractor;

    public SiteCrawler(CrawlSettings settings, GuardedFetcher fetcher, RobotsPolicy robots, PageExtractor extractor) {
        this.settings = settings;
        this.fetcher = fetcher;
        this.robots = robots;
        this.extractor = extractor;
    }

    /** Crawls from a website value as tenants write it ({@code www.example.co.za}, with or without scheme). */
    public Report crawl(String website) throws InterruptedException {
        String w = website == null ? "" : website.strip();
        URI start = UrlNormaliser.normalise(safeUri(w.contains("://") ? w : "http://" + w));
        List<Visit> visits = new ArrayList<>();
        List<Candidate> candidates = new ArrayList<>();
        if (start == null) {
            visits.add(new Visit(null, 0, "invalid_url", 0, null, Instant.now()));
            return report(null, visits, candidates, Set.of());
        }
        String host = start.getHost();
        Deque<URI> queue = new ArrayDeque<>();
        Map<URI, Integer> depth = new LinkedHashMap<>();
        Set<URI> seen = new HashSet<>();
        Set<PageFetcher.Outcome> failures = java.util.EnumSet.noneOf(PageFetcher.Outcome.class);
        queue.add(start);
        depth.put(start, 0);
        seen.add(start);
        int pages = 0;
        while (!queue.isEmpty() && pages < settings.maxPages()) {
            URI uri = queue.poll();
            int d = depth.get(uri);
            PageFetcher.Fetch page = fetchFollowingRedirects(uri, d, visits, seen, failures);
            if (page == null) {
                continue;
            }
            pages++;
            failures.add(page.outcome());
            visits.add(new Visit(page.uri(), d, page.outcome().name().toLowerCase(), page.status(), page.detail(),
                    page.fetchedAt()));
            if (page.outcome() != PageFetcher.Outcome.OK) {
                continue;
            }
            // Pages are decoded as UTF-8 (the web's default); a wrong guess costs text, not safety.
            String html = new String(page.body(), StandardCharsets.UTF_8);
            candidates.addAll(extractor.extract(html, page.uri().toString(), page.fetchedAt(), page.sha256()));
            if (d >= settings.maxDepth()) {
                continue;
            }
            Document doc = Jsoup.parse(html, page.uri().toString());
            for (Element a : doc.select("a[href]")) {
                URI link = UrlNormaliser.resolve(page.uri(), a.attr("href"));
                if (link == null || !link.getHost().equals(host) || !seen.add(link)) {
                    continue;
                }
                String trap = UrlNormaliser.trap(link, settings.maxUrlLength(), settings.maxSegmentRepeats());
                if (trap != null) {
                    visits.add(new Visit(link, d + 1, trap, 0, null, Instant.now()));
                    continue;
                }
                depth.put(link, d + 1);
                queue.add(link);
            }
        }
        return report(start, visits, candidates, failures);
    }

    /**
     * Fetches a URL, following redirects itself so that each hop passes the trap guard, robots.txt
     * and the address guard again. Returns the final fetch, or {@code null} when the URL ended
     * without one (the reason is recorded as a visit).
     */
    private PageFetcher.Fetch fetchFollowingRedirects(URI uri, int depth, List<Visit> visits, Set<URI> seen,
            Set<PageFetcher.Outcome> outcomes) throws InterruptedException {
        Set<URI> chain = new HashSet<>();
        URI current = uri;
        for (int hop = 0; hop <= settings.maxRedirects(); hop++) {
            if (!chain.add(current)) {
                visits.add(new Visit(current, depth, "redirect_loop", 0, null, Instant.now()));
                return null;
            }
            String trap = UrlNormaliser.trap(current, settings.maxUrlLength(), settings.maxSegmentRepeats());
            if (trap != null) {
                visits.add(new Visit(current, depth, trap, 0, null, Instant.now()));
                return null;
            }
            RobotsPolicy.Rules rules = robots.rulesFor(current);
            if (!rules.allows(current)) {
                outcomes.add(rules.outcome());
                visits.add(new Visit(current, depth, "robots_disallowed", 0, rules.basis(), Instant.now()));
                return null;
            }
            PageFetcher.Fetch f = fetcher.fetch(current, delay(rules), settings.contentTypes(), settings.maxBodyBytes(),
                    false);
            if (f.outcome() != PageFetcher.Outcome.REDIRECT) {
                return f;
            }
            visits.add(new Visit(current, depth, "redirect", f.status(), f.location(), f.fetchedAt()));
            URI next = UrlNormaliser.resolve(current, f.location());
            if (next == null) {
                visits.add(new Visit(current, depth, "invalid_redirect", f.status(), null, Instant.now()));
                return null;
            }
            seen.add(next);
            current = next;
        }
        visits.add(new Visit(current, depth, "too_many_redirects", 0, null, Instant.now()));
        return null;
    }

    /** The host's delay: robots.txt crawl-delay capped at {@code maxCrawlDelay}, never under {@code minDelay}. */
    Duration delay(RobotsPolicy.Rules rules) {
        Duration d = rules.crawlDelay();
        if (d == null) {
            return settings.minDelay();
        }
        if (d.compareTo(settings.maxCrawlDelay()) > 0) {
            d = settings.maxCrawlDelay();
        }
        return d.compareTo(settings.minDelay()) < 0 ? settings.minDelay() : d;
    }

    /** {@code outcomes}: of every page fetch and of the robots.txt fetches that disallowed a URL. */
    private static Report report(URI start, List<Visit> visits, List<Candidate> candidates,
            Set<PageFetcher.Outcome> outcomes) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Visit v : visits) {
            counts.merge(v.outcome(), 1, Integer::sum);
        }
        String status;
        if (start == null) {
            status = "invalid_url";
        } else if (outcomes.contains(PageFetcher.Outcome.OK)) {
            status = "ok";
        } else if (outcomes.contains(PageFetcher.Outcome.CIRCUIT_OPEN)) {
            status = "circuit_open";
        } else if (outcomes.contains(PageFetcher.Outcome.NETWORK_ERROR)
                || outcomes.contains(PageFetcher.Outcome.TIMEOUT)) {
            status = "unreachable";
        } else {
            status = "nothing_fetched";
        }
        return new Report(start, status, List.copyOf(visits), List.copyOf(candidates), counts);
    }

    private static URI safeUri(String s) {
        try {
            return URI.create(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
