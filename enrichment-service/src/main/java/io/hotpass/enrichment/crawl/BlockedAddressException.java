package io.hotpass.enrichment.crawl;

import java.net.UnknownHostException;

/**
 * A host resolved only to addresses the crawler must not reach (loopback, private, link-local,
 * CGNAT, metadata…). A subclass of {@link UnknownHostException} so the HTTP client treats it as a
 * failed resolution and never opens a connection.
 */
public class BlockedAddressException extends UnknownHostException {
    public BlockedAddressException(String message) {
        super(message);
    }
}
