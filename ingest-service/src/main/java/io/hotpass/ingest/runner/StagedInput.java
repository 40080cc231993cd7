package io.hotpass.ingest.runner;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.BooleanSupplier;

/**
 * A staged upload read back chunk by chunk from the database (one chunk in memory at a time), as
 * the runner's request body. Reading stops with an {@link IOException} once the attempt has lost
 * its lease, so a fenced-off runner stops parsing instead of finishing work nobody will keep.
 */
final class StagedInput extends InputStream {

    private final UploadQueue queue;
    private final ClaimedUpload run;
    private final BooleanSupplier lost;
    private byte[] chunk = new byte[0];
    private int pos;
    private int seq;
    private boolean end;

    StagedInput(UploadQueue queue, ClaimedUpload run, BooleanSupplier lost) {
        this.queue = queue;
        this.run = run;
        this.lost = lost;
    }

    private boolean fill() throws IOException {
        while (pos >= chunk.length) {
            if (end) {
                return false;
            }
            if (lost.getAsBoolean()) {
                throw new IOException("upload run " + run.runId() + ": attempt " + run.attempt() + " lost its lease");
            }
            byte[] next;
            try {
                next = queue.chunk(run, seq);
            } catch (RuntimeException e) {
                throw new IOException("the staged upload could not be read: " + e.getMessage(), e);
            }
            if (next == null) {
                end = true;
                return false;
            }
            seq++;
            chunk = next;
            pos = 0;
        }
        return true;
    }

    @Override
    public int read() throws IOException {
        return fill() ? chunk[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, chunk.length - pos);
        System.arraycopy(chunk, pos, b, off, n);
        pos += n;
        return n;
    }
}
