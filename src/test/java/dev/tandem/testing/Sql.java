package dev.tandem.testing;

import dev.tandem.catalog.Segment;
import dev.tandem.cluster.Cluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Small SQL conveniences for tests. */
public final class Sql {
    private Sql() {
    }

    public static void exec(Cluster c, Segment s, String sql) throws SQLException {
        try (Connection conn = c.connect(s); Statement st = conn.createStatement()) {
            st.execute(sql);
        }
    }

    public static List<List<String>> rows(Cluster c, Segment s, String sql) throws SQLException {
        try (Connection conn = c.connect(s)) {
            return rows(conn, sql);
        }
    }

    /** Every row of {@code sql} on an open connection, each column as text. */
    public static List<List<String>> rows(Connection conn, String sql) throws SQLException {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            List<List<String>> out = new ArrayList<>();
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) row.add(rs.getString(i));
                out.add(row);
            }
            return out;
        }
    }

    public static String one(Cluster c, Segment s, String sql) throws SQLException {
        List<List<String>> r = rows(c, s, sql);
        return r.isEmpty() ? null : r.get(0).get(0);
    }
}
