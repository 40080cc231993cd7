package io.hotpass.ingest.upload;

import io.hotpass.platform.problem.ProblemException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;

/**
 * Opens an upload's byte stream as text: byte-order mark first (UTF-8, UTF-16), then a declared
 * {@code encoding}, else UTF-8 when the first 64 KiB decode as UTF-8 and Windows-1252 otherwise.
 * Decoding is strict for UTF-8 (an invalid sequence later in the file is an error, never a silent
 * replacement character). Also guesses the field separator from the header line.
 */
final class CsvInput {

    static final int PEEK = 64 * 1024;
    static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    final Reader reader;
    final Charset charset;
    final boolean bom;
    final char delimiter;

    private CsvInput(Reader reader, Charset charset, boolean bom, char delimiter) {
        this.reader = reader;
        this.charset = charset;
        this.bom = bom;
        this.delimiter = delimiter;
    }

    static CsvInput open(InputStream raw, String encoding, String delimiter) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, PEEK);
        in.mark(PEEK + 1);
        byte[] peek = in.readNBytes(PEEK);
        in.reset();
        Charset cs;
        boolean bom = false;
        if (peek.length >= 3 && (peek[0] & 0xff) == 0xEF && (peek[1] & 0xff) == 0xBB && (peek[2] & 0xff) == 0xBF) {
            in.skipNBytes(3);
            cs = StandardCharsets.UTF_8;
            bom = true;
        } else if (peek.length >= 2 && (peek[0] & 0xff) == 0xFE && (peek[1] & 0xff) == 0xFF) {
            in.skipNBytes(2);
            cs = StandardCharsets.UTF_16BE;
            bom = true;
        } else if (peek.length >= 2 && (peek[0] & 0xff) == 0xFF && (peek[1] & 0xff) == 0xFE) {
            in.skipNBytes(2);
            cs = StandardCharsets.UTF_16LE;
            bom = true;
        } else if (encoding != null && !encoding.isBlank()) {
            cs = charset(encoding);
        } else {
            cs = isUtf8(peek, peek.length < PEEK) ? StandardCharsets.UTF_8 : WINDOWS_1252;
        }
        CharsetDecoder decoder = cs.newDecoder();
        if (cs.equals(WINDOWS_1252)) {
            decoder.onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        } else {
            decoder.onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        }
        char sep = delimiter(delimiter, peek, cs, bom);
        return new CsvInput(new InputStreamReader(in, decoder), cs, bom, sep);
    }

    static boolean isUtf8(byte[] bytes, boolean complete) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CoderResult r = d.decode(ByteBuffer.wrap(bytes), CharBuffer.allocate(bytes.length + 1), complete);
        return !r.isError();
    }

    /**
     * Checks a declared encoding and delimiter without reading anything (an asynchronous upload is
     * refused at once for options its runner would refuse). 400 naming the option.
     */
    static void checkOptions(String encoding, String delimiter) {
        if (encoding != null && !encoding.isBlank()) {
            charset(encoding);
        }
        if (delimiter != null && !delimiter.isEmpty()) {
            declaredDelimiter(delimiter);
        }
    }

    private static Charset charset(String encoding) {
        try {
            return Charset.forName(encoding.trim());
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw ProblemException.badRequest("encoding", "is not a character encoding this service knows");
        }
    }

    private static char declaredDelimiter(String declared) {
        String d = declared.equalsIgnoreCase("tab") || declared.equals("\\t") ? "\t" : declared;
        if (d.length() != 1 || d.charAt(0) == '"' || d.charAt(0) == '\n' || d.charAt(0) == '\r') {
            throw ProblemException.badRequest("delimiter", "must be one character other than a quote or newline, or 'tab'");
        }
        return d.charAt(0);
    }

    private static char delimiter(String declared, byte[] peek, Charset cs, boolean bom) {
        if (declared != null && !declared.isEmpty()) {
            return declaredDelimiter(declared);
        }
        String head;
        try {
            head = cs.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(peek, bom ? (cs.equals(StandardCharsets.UTF_8) ? 3 : 2) : 0,
                            Math.max(0, peek.length - (bom ? (cs.equals(StandardCharsets.UTF_8) ? 3 : 2) : 0))))
                    .toString();
        } catch (CharacterCodingException e) {
            return ',';
        }
        int nl = head.indexOf('\n');
        String line = nl < 0 ? head : head.substring(0, nl);
        char best = ',';
        int bestCount = 0;
        for (char c : new char[] {',', ';', '\t', '|'}) {
            int n = 0;
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char x = line.charAt(i);
                if (x == '"') {
                    quoted = !quoted;
                } else if (x == c && !quoted) {
                    n++;
                }
            }
            if (n > bestCount) {
                best = c;
                bestCount = n;
            }
        }
        return best;
    }
}
