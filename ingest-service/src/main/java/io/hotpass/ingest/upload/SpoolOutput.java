package io.hotpass.ingest.upload;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * The spool file of an upload (XLSX is spooled while it arrives). A failure to write it is the
 * service's disk (full, over quota, read-only), never the caller's file, so it is told apart from a
 * failure to read the request body: the caller gets 507 {@code insufficient_storage} and may retry,
 * instead of 400 {@code upload_interrupted}, which would blame its upload (FMEA FM-10).
 */
final class SpoolOutput extends FilterOutputStream {

    /** Writing the spool file failed; the cause is the file system's error. */
    static final class SpoolWriteException extends IOException {
        SpoolWriteException(Path spool, IOException cause) {
            super("cannot write the spool file " + spool.getFileName(), cause);
        }
    }

    private final Path spool;

    SpoolOutput(OutputStream out, Path spool) {
        super(out);
        this.spool = spool;
    }

    @Override
    public void write(int b) throws IOException {
        try {
            out.write(b);
        } catch (IOException e) {
            throw new SpoolWriteException(spool, e);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        try {
            out.write(b, off, len);
        } catch (IOException e) {
            throw new SpoolWriteException(spool, e);
        }
    }

    @Override
    public void flush() throws IOException {
        try {
            out.flush();
        } catch (IOException e) {
            throw new SpoolWriteException(spool, e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            out.close();
        } catch (IOException e) {
            throw new SpoolWriteException(spool, e);
        }
    }
}
