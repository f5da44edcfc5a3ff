package dev.tandem.recovery;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One progress line of a copying tool, as bytes done and total:
 * <ul>
 *   <li>{@code pg_basebackup --progress}: {@code " 20480/204800 kB (10%), 0/1 tablespace"} (also with
 *       {@code --verbose}'s trailing file name);</li>
 *   <li>{@code pg_rewind --progress}: {@code "1024/4096 kB (25%) copied"};</li>
 *   <li>{@code rsync --info=progress2}: {@code "  1,234,567  12%   10.00MB/s    0:00:05 (xfr#3, to-chk=10/100)"},
 *       where the total is derived from the percentage (rsync's own estimate, which grows while it scans).</li>
 * </ul>
 * Lines that are not progress (notices, warnings) read as empty.
 */
public record CopyProgress(long doneBytes, long totalBytes) {

    private static final Pattern PG = Pattern.compile("^\\s*(\\d+)/(\\d+) kB \\((\\d+)%\\)");
    private static final Pattern RSYNC = Pattern.compile("^\\s*([\\d,]+)\\s+(\\d{1,3})%\\s+\\S+/s\\s+\\d+:\\d{2}:\\d{2}");

    public static Optional<CopyProgress> parse(String line) {
        Matcher m = PG.matcher(line);
        if (m.find()) {
            long done = Long.parseLong(m.group(1)) * 1024;
            long total = Long.parseLong(m.group(2)) * 1024;
            return Optional.of(new CopyProgress(done, Math.max(done, total)));
        }
        m = RSYNC.matcher(line);
        if (m.find()) {
            long done = Long.parseLong(m.group(1).replace(",", ""));
            int percent = Integer.parseInt(m.group(2));
            long total = percent == 0 ? 0 : done * 100 / percent;
            return Optional.of(new CopyProgress(done, Math.max(done, total)));
        }
        return Optional.empty();
    }
}
