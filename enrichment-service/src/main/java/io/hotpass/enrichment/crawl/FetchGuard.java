package io.hotpass.enrichment.crawl;

import java.net.URI;

/**
 * How the attempts of one fetch to a host are governed: {@link HostGuards} retries and breaks
 * circuits per host with SmallRye Fault Tolerance; {@link #SINGLE_ATTEMPT} makes exactly one
 * attempt (for code that runs outside a CDI container, where SmallRye's guards cannot be built:
 * the crawl benchmark and the plain unit tests of robots.txt and the crawler's guards).
 */
@FunctionalInterface
public interface FetchGuard {

    /** One attempt, its result as it is. */
    FetchGuard SINGLE_ATTEMPT = (uri, attempt) -> attempt.call();

    /** One attempt at a fetch (it waits for the host's politeness slot itself). */
    @FunctionalInterface
    interface Attempt {
        PageFetcher.Fetch call() throws InterruptedException;
    }

    /**
     * @param uri the URL the attempts fetch (its {@code host:port} is the host that is guarded)
     * @return the final fetch: a success, the last failure, or {@code CIRCUIT_OPEN}
     */
    PageFetcher.Fetch fetch(URI uri, Attempt attempt) throws InterruptedException;
}
