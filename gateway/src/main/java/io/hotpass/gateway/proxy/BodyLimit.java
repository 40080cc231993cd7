package io.hotpass.gateway.proxy;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A request body passed through while it is counted. A body without {@code Content-Length}
 * (chunked) cannot be refused from its headers, so the gateway forwards it and counts: the first
 * buffer past the route's limit is not forwarded, and {@code onExceeded} runs once (it aborts the
 * upstream request, so the service sees a broken upload and keeps nothing, and answers 413).
 * Back-pressure is the source's: pause, resume and fetch go straight to it.
 */
final class BodyLimit implements ReadStream<Buffer> {

    private final ReadStream<Buffer> source;
    private final long max;
    private final Runnable onExceeded;
    private long seen;
    private boolean exceeded;

    BodyLimit(ReadStream<Buffer> source, long max, Runnable onExceeded) {
        this.source = source;
        this.max = max;
        this.onExceeded = onExceeded;
    }

    /** Bytes seen so far (including the buffer that went past the limit). */
    long seen() {
        return seen;
    }

    boolean exceeded() {
        return exceeded;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> handler) {
        if (handler == null) {
            source.handler(null);
            return this;
        }
        source.handler(buf -> {
            if (exceeded) {
                return;
            }
            seen += buf.length();
            if (seen > max) {
                exceeded = true;
                source.pause();
                onExceeded.run();
                return;
            }
            handler.handle(buf);
        });
        return this;
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        source.exceptionHandler(handler);
        return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
        source.endHandler(endHandler == null ? null : v -> {
            if (!exceeded) {
                endHandler.handle(v);
            }
        });
        return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
        source.pause();
        return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
        if (!exceeded) {
            source.resume();
        }
        return this;
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
        if (!exceeded) {
            source.fetch(amount);
        }
        return this;
    }
}
