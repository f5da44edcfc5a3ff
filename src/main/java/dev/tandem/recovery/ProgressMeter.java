package dev.tandem.recovery;

import java.util.Locale;

/**
 * One instance's progress as a line: {@code content 1 dbid 5 full [#####.....] 52% 104/200 MB 31.2 MB/s ETA 3 s}.
 * The rate is the average since this copy's first byte; with no total yet (pg_basebackup estimates it first), the
 * bar and ETA are left out.
 */
public record ProgressMeter(String subject, String type, long doneBytes, long totalBytes, long elapsedMillis) {

    static final int WIDTH = 24;

    public String render() {
        StringBuilder sb = new StringBuilder(subject).append(' ').append(type);
        if (totalBytes > 0) {
            int pct = (int) Math.min(100, doneBytes * 100 / totalBytes);
            int filled = (int) Math.min(WIDTH, doneBytes * WIDTH / totalBytes);
            sb.append(" [").append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ")
                    .append(String.format(Locale.ROOT, "%3d%%", pct));
        }
        sb.append(' ').append(mb(doneBytes)).append('/').append(totalBytes > 0 ? mb(totalBytes) : "?").append(" MB");
        double rate = rateBytesPerSecond();
        if (rate > 0) {
            sb.append(String.format(Locale.ROOT, " %.1f MB/s", rate / (1 << 20)));
            if (totalBytes > doneBytes) {
                sb.append(" ETA ").append(Math.round((totalBytes - doneBytes) / rate)).append(" s");
            }
        }
        return sb.toString();
    }

    double rateBytesPerSecond() {
        return elapsedMillis <= 0 || doneBytes <= 0 ? 0 : doneBytes * 1000.0 / elapsedMillis;
    }

    private static String mb(long bytes) {
        return Long.toString(bytes >> 20);
    }
}
