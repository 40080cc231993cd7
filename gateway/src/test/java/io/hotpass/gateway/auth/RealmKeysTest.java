package io.hotpass.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The realm's keys: bounded fetches, refreshes rate-limited, keys kept while the realm is away. */
class RealmKeysTest {

    static final String N = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
    static final String JWKS = "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"k1\",\"use\":\"sig\",\"alg\":\"RS256\",\"n\":\"" + N
            + "\",\"e\":\"AQAB\"},{\"kty\":\"RSA\",\"kid\":\"enc1\",\"use\":\"enc\",\"n\":\"" + N + "\",\"e\":\"AQAB\"}]}";

    @Test
    void signingKeysOnlyAndUnknownKeyIdsDoNotFetchEachTime() throws Exception {
        AtomicInteger fetches = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/certs", x -> {
            fetches.incrementAndGet();
            byte[] body = JWKS.getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        server.start();
        try {
            RealmKeys keys = new RealmKeys("http://127.0.0.1:" + server.getAddress().getPort() + "/certs",
                    Duration.ofMinutes(10), Duration.ofMinutes(1), Duration.ofSeconds(2), Duration.ofSeconds(5));
            assertTrue(keys.key("k1").isPresent());
            assertEquals(Optional.empty(), keys.key("enc1"), "an encryption key never verifies a signature");
            for (int i = 0; i < 50; i++) {
                assertEquals(Optional.empty(), keys.key("made-up-" + i));
            }
            assertEquals(1, fetches.get(), "unknown key ids refresh at most once a minute");
            assertTrue(keys.key(null).isPresent(), "no kid: the realm's only signing key");
        } finally {
            server.stop(0);
        }
    }

    /**
     * A realm that accepts connections and never answers (frozen, or behind a partition): the fetch
     * gives up at its timeout instead of holding the request, and lookups of unknown keys right after
     * do not try again (the next attempt is 5 s later at the earliest).
     */
    @Test
    void aRealmThatNeverAnswersCostsOneBoundedAttempt() throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept()); // accept and never answer
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            RealmKeys keys = new RealmKeys("http://127.0.0.1:" + silent.getLocalPort() + "/certs",
                    Duration.ofMinutes(10), Duration.ofMinutes(1), Duration.ofMillis(500), Duration.ofMillis(800));
            assertEquals(Optional.empty(), keys.key("k1"), "gives up: no key, no hang");
            int connections = held.size();
            for (int i = 0; i < 20; i++) {
                assertEquals(Optional.empty(), keys.key("k" + i));
            }
            assertEquals(connections, held.size(), "no new connection to the silent realm right after a failed attempt");
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
