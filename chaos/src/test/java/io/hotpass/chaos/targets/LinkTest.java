package io.hotpass.chaos.targets;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The partitionable link against an echo server on loopback: bytes pass both ways; cut, nothing
 * passes either way on an open connection nor on a new one, and connections stay open (a read
 * times out, it does not end); healed, what was held back arrives, in order, and new connections work.
 */
class LinkTest {

    private ServerSocket echo;
    private Future<?> echoAccepting;
    private ExecutorService pool;
    private Link link;

    @BeforeEach
    void echoServer() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        pool = Executors.newCachedThreadPool();
        echoAccepting = pool.submit(() -> {
            while (!echo.isClosed()) {
                Socket s = echo.accept();
                pool.submit(() -> {
                    try (s) {
                        s.getInputStream().transferTo(s.getOutputStream());
                    }
                    return null;
                });
            }
            return null;
        });
        link = new Link("echo", echo.getLocalPort());
    }

    @AfterEach
    void stop() throws IOException {
        link.close();
        echo.close();
        pool.shutdownNow();
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), link.port());
        s.setSoTimeout(500);
        return s;
    }

    private static byte[] read(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        assertEquals(n, b.length, "the stream ended early");
        return b;
    }

    @Test
    void relaysHoldsWhileCutAndDeliversWhenHealed() throws Exception {
        try (Socket a = connect()) {
            a.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
            assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), read(a.getInputStream(), 5));

            link.cut();
            assertTrue(link.isCut());
            a.getOutputStream().write("held".getBytes(StandardCharsets.US_ASCII)); // accepted by TCP, goes nowhere
            assertThrows(SocketTimeoutException.class, () -> a.getInputStream().read(), "no answer while cut");

            try (Socket b = connect()) { // a new connection is accepted and then hears nothing
                b.getOutputStream().write("new".getBytes(StandardCharsets.US_ASCII));
                assertThrows(SocketTimeoutException.class, () -> b.getInputStream().read());

                link.heal();
                a.setSoTimeout(5000);
                b.setSoTimeout(5000);
                assertArrayEquals("held".getBytes(StandardCharsets.US_ASCII), read(a.getInputStream(), 4),
                        "what was held back arrives once healed");
                assertArrayEquals("new".getBytes(StandardCharsets.US_ASCII), read(b.getInputStream(), 3));
            }
        }
        assertEquals(2, link.connections());
        // The relay counts a chunk after writing it on, so the last echo can reach this thread a
        // moment before its count does: wait for the count, then require it exact (none twice).
        await().atMost(Duration.ofSeconds(5)).until(() -> link.bytes() >= 2 * (5 + 4 + 3));
        assertEquals(2 * (5 + 4 + 3), link.bytes(), "every byte once each way");
    }

    @Test
    void aStoppedServiceClosesTheCallersConnection() throws Exception {
        echo.close();
        // A ServerSocket closed while a thread waits in accept() stays open until that thread has left
        // it, and a connection arriving meanwhile is accepted: the relay's was, 1 run in 80, and the
        // caller then waited on an echo session. Once the accepting thread is gone, the port refuses.
        try {
            echoAccepting.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            // accept() ended by the close: what is waited for
        }
        try (Socket a = connect()) {
            a.setSoTimeout(5000);
            assertEquals(-1, a.getInputStream().read(), "refused behind the link: the caller's connection ends");
        }
    }
}
