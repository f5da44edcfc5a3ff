package dev.tandem.drill;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Unique ids that the coordinator routes to one content, so that each coordinator writer loads one content as
 * the direct writers do and its unavailability is measured per content. PostgreSQL decides which keys those are
 * ({@code satisfies_hash_partition} with the table's own bounds, {@code MODULUS <contents>, REMAINDER <content>});
 * the ids are scanned in windows of the number line, each id belongs to exactly one content, none is handed out
 * twice. Shared by the content's writers (synchronized); the query runs on the coordinator only, never a segment.
 */
final class ContentKeys {

    static final int WINDOW = 4096;
    /** A window holds about WINDOW / contents of a content's keys; this many empty windows in a row means a bug. */
    private static final int MAX_EMPTY_WINDOWS = 8;

    private final String table;
    private final int content;
    private final int contents;
    private final Deque<Long> ready = new ArrayDeque<>();
    private long scanned;

    ContentKeys(String table, int content, int contents) {
        this.table = table;
        this.content = content;
        this.contents = contents;
    }

    int content() {
        return content;
    }

    /** The next id of this content, asking the coordinator (over {@code c}) for a window of them when none is left. */
    synchronized long next(Connection c) throws SQLException {
        for (int empty = 0; ready.isEmpty(); empty++) {
            if (empty == MAX_EMPTY_WINDOWS) {
                throw new IllegalStateException("no key of content " + content + " among ids up to " + scanned);
            }
            fill(c);
        }
        return ready.poll();
    }

    private void fill(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT g FROM generate_series(?::bigint, ?::bigint) g "
                + "WHERE satisfies_hash_partition(?::regclass, ?, ?, g) ORDER BY g")) {
            ps.setLong(1, scanned + 1);
            ps.setLong(2, scanned + WINDOW);
            ps.setString(3, table);
            ps.setInt(4, contents);
            ps.setInt(5, content);
            List<Long> keys = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) keys.add(rs.getLong(1));
            }
            ready.addAll(keys); // only once the window was read whole: a failed read is scanned again
            scanned += WINDOW;
        }
    }
}
