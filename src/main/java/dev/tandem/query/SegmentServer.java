package dev.tandem.query;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One content's foreign server {@code tandem_seg<N>} as pg_foreign_server holds it: where it sends queries. */
public record SegmentServer(int content, String name, Optional<String> host, Optional<Integer> port) {

    public static final String PREFIX = "tandem_seg";

    public static String nameOf(int content) {
        return PREFIX + content;
    }

    /** The servers named {@code tandem_seg<N>} in the connected database, by content; none before setup. */
    public static List<SegmentServer> read(Connection c) throws SQLException {
        List<SegmentServer> out = new ArrayList<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("""
                     SELECT srvname,
                            (SELECT substr(o, 6) FROM unnest(srvoptions) o WHERE o LIKE 'host=%'),
                            (SELECT substr(o, 6) FROM unnest(srvoptions) o WHERE o LIKE 'port=%')
                     FROM pg_foreign_server WHERE srvname ~ '^tandem_seg[0-9]+$' ORDER BY srvname""")) {
            while (rs.next()) {
                String name = rs.getString(1);
                out.add(new SegmentServer(Integer.parseInt(name.substring(PREFIX.length())), name,
                        Optional.ofNullable(rs.getString(2)), port(rs.getString(3))));
            }
        }
        return out;
    }

    static Optional<Integer> port(String text) {
        if (text == null) return Optional.empty();
        try {
            return Optional.of(Integer.parseInt(text.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty(); // shown as drift: a server whose port is not a number reaches nothing
        }
    }

    String target() {
        return host.orElse("?") + ":" + port.map(String::valueOf).orElse("?");
    }
}
