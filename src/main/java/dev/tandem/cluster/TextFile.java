package dev.tandem.cluster;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads an operator's text file as UTF-8, and says where it is not: {@code FILE:LINE: not UTF-8 text (byte 0xE9 at
 * column 12)} rather than the decoder's "Input length = 1".
 */
public final class TextFile {

    private TextFile() {
    }

    public static String read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ClusterException("cannot read " + file + ": no such file", e);
        } catch (IOException e) {
            throw new ClusterException("cannot read " + file + ": " + e, e);
        }
        return decode(bytes, file.toString());
    }

    static String decode(byte[] bytes, String name) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        var result = d.decode(in, out, true);
        if (result.isError()) {
            int at = in.position();
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < at; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            throw new ClusterException(String.format("%s:%d: not UTF-8 text (byte 0x%02X at column %d)", name, line,
                    bytes[at] & 0xff, at - lineStart + 1));
        }
        try {
            d.flush(out);
        } catch (IllegalStateException e) {
            throw new ClusterException(name + ": not UTF-8 text", e);
        }
        out.flip();
        return out.toString();
    }
}
