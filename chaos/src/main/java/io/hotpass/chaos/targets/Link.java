package io.hotpass.chaos.targets;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The network between the gateway and one service of a stack the runner launched, as a TCP relay
 * the runner owns, so a drill can partition them on one machine (FM-09). The gateway's upstream URL
 * for the service points here; every connection is relayed to the service's port.
 *
 * <p>{@link #cut}: no byte gets through in either direction, and connections stay open — new ones
 * are accepted and then hear nothing. That is what a partition looks like to both ends (packets
 * dropped, so requests time out), unlike a dead process (connections refused at once). The service
 * itself runs on, and everything that reaches it directly (the other services, the drill's probes)
 * still does. {@link #heal}: the bytes held back flow again, as TCP delivers them once a partition
 * ends; a connection an end gave up on meanwhile is closed by that end. It is what Toxiproxy's
 * {@code timeout} toxic with timeout 0 does, without a proxy process to install.
 */
public final class Link implements AutoCloseable {

    private final String name;
    private final int targetPort;
    private final ServerSocket server;
    private final ExecutorService threads;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private volatile boolean cut;
    private volatile boolean closed;

    /** Starts relaying a free loopback port to {@code targetPort} on loopback. */
    public Link(String name, int targetPort) throws IOException {
        this.name = name;
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "link-" + name);
            t.setDaemon(true);
            return t;
        });
        threads.submit(this::acceptLoop);
    }

    public String name() {
        return name;
    }

    /** Where the gateway connects. */
    public int port() {
        return server.getLocalPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** Connections accepted since the start. */
    public long connections() {
        return connections.get();
    }

    /** Connections open now (both ends). */
    public int open() {
        return sockets.size() / 2;
    }

    /** Bytes relayed since the start, both directions. */
    public long bytes() {
        return bytes.get();
    }

    public boolean isCut() {
        return cut;
    }

    /** Partitions the two ends: nothing gets through until {@link #heal}. */
    public void cut() {
        cut = true;
    }

    /** Ends the partition: held bytes and held connections go on. */
    public void heal() {
        synchronized (gate) {
            cut = false;
            gate.notifyAll();
        }
    }

    private void awaitOpen() throws InterruptedException {
        synchronized (gate) {
            while (cut && !closed) {
                gate.wait();
            }
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket in = server.accept();
                connections.incrementAndGet();
                sockets.add(in);
                threads.submit(() -> relay(in));
            } catch (IOException e) {
                if (!closed) {
                    sleepQuietly();
                }
            }
        }
    }

    private void relay(Socket in) {
        Socket out = new Socket();
        try {
            awaitOpen(); // a connection made during the partition reaches nothing until it heals
            out.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5000);
            sockets.add(out);
            in.setTcpNoDelay(true);
            out.setTcpNoDelay(true);
            // Both directions ended (or one failed, which ends the other): the pair is closed.
            java.util.concurrent.atomic.AtomicInteger ended = new java.util.concurrent.atomic.AtomicInteger();
            Runnable end = () -> {
                if (ended.incrementAndGet() == 2) {
                    closeBoth(in, out);
                }
            };
            threads.submit(() -> {
                pump(out, in);
                end.run();
            });
            pump(in, out);
            end.run();
        } catch (IOException | InterruptedException e) {
            // The service does not answer (stopped): the caller sees its connection closed, as it would.
            closeBoth(in, out);
        }
    }

    /** Copies {@code from} to {@code to}; while cut, what was read waits and nothing more is read. */
    private void pump(Socket from, Socket to) {
        byte[] buf = new byte[64 * 1024];
        try {
            InputStream is = from.getInputStream();
            OutputStream os = to.getOutputStream();
            int n;
            while ((n = is.read(buf)) >= 0) {
                awaitOpen();
                os.write(buf, 0, n);
                bytes.addAndGet(n);
            }
            awaitOpen(); // the end of the stream is news too, held back like the bytes before it
            to.shutdownOutput();
        } catch (IOException | InterruptedException e) {
            closeBoth(from, to);
        }
    }

    private void closeBoth(Socket a, Socket b) {
        for (Socket s : new Socket[] {a, b}) {
            sockets.remove(s);
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops relaying: heals (so no thread waits on the gate) and closes every connection. */
    @Override
    public void close() {
        closed = true;
        heal();
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        sockets.clear();
        threads.shutdownNow();
    }
}
