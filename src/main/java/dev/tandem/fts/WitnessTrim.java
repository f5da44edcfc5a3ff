package dev.tandem.fts;

import dev.tandem.catalog.Lsn;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which files of a witness's directory may go: complete WAL segments that end before the position the mirror has
 * flushed. The segment holding that position stays, and so does everything after it, the partial segment being
 * written, timeline history files and the receiver's own files. Pure.
 */
final class WitnessTrim {

    static final long SEGMENT_BYTES = 16L * 1024 * 1024;
    private static final Pattern SEGMENT = Pattern.compile("([0-9A-F]{8})([0-9A-F]{8})([0-9A-F]{8})");

    private WitnessTrim() {
    }

    static List<String> removable(List<String> names, Lsn keepFrom, long segmentBytes) {
        long keepLog = keepFrom.value() >>> 32;
        long keepSeg = (keepFrom.value() & 0xFFFFFFFFL) / segmentBytes;
        return names.stream().filter(n -> {
            Matcher m = SEGMENT.matcher(n);
            if (!m.matches()) return false; // .partial, .history, the pid, log and password files
            long log = Long.parseLong(m.group(2), 16);
            long seg = Long.parseLong(m.group(3), 16);
            return log < keepLog || (log == keepLog && seg < keepSeg);
        }).sorted().toList();
    }
}
