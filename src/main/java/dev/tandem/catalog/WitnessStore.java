package dev.tandem.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code tandem.gp_segment_witness}, next to {@code gp_segment_configuration}: one row per content that has a
 * witness. Every change writes a {@code gp_configuration_history} row in the same transaction (invariant 5), under
 * the dbid of the content's acting primary (the witness has no dbid), and takes the catalog write lock first, as
 * every catalog writer does; an FTS leader's term is checked in that transaction when one is given.
 */
public final class WitnessStore {

    private WitnessStore() {
    }

    /** Idempotent: at init, by {@code tandem witness add}, and by the FTS daemon when it connects. */
    public static void create(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("""
                    CREATE TABLE IF NOT EXISTS tandem.gp_segment_witness (
                        content smallint PRIMARY KEY CHECK (content >= 0),
                        hostname text NOT NULL,
                        address text NOT NULL,
                        dir text NOT NULL,
                        status "char" NOT NULL CHECK (status IN ('u','d')),
                        slot text NOT NULL,
                        flush_lsn pg_lsn NOT NULL DEFAULT '0/0')""");
        }
    }

    /** Every witness, by content; empty (not an error) on a catalog made before witnesses existed. */
    public static List<Witness> read(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet t = st.executeQuery("SELECT to_regclass('tandem.gp_segment_witness') IS NOT NULL")) {
            t.next();
            if (!t.getBoolean(1)) return List.of();
        }
        List<Witness> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT content, hostname, address, "
                + "dir, status, slot, flush_lsn::text FROM tandem.gp_segment_witness ORDER BY content")) {
            while (rs.next()) {
                out.add(new Witness(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        Status.of(rs.getString(5)), rs.getString(6), Lsn.parse(rs.getString(7))));
            }
        }
        return out;
    }

    public static Optional<Witness> of(Connection c, int content) throws SQLException {
        return read(c).stream().filter(w -> w.content() == content).findFirst();
    }

    /** Adds (or replaces) a content's witness, with its history row under {@code primaryDbid}. */
    public static void put(Connection c, Witness w, int primaryDbid, String why, Optional<FencingToken> token)
            throws SQLException {
        CatalogStore.inTransaction(c, () -> {
            lock(c, token);
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO tandem.gp_segment_witness (content, hostname, address, dir, status, slot, flush_lsn)
                    VALUES (?, ?, ?, ?, ?, ?, ?::pg_lsn)
                    ON CONFLICT (content) DO UPDATE SET hostname = EXCLUDED.hostname, address = EXCLUDED.address,
                        dir = EXCLUDED.dir, status = EXCLUDED.status, slot = EXCLUDED.slot,
                        flush_lsn = EXCLUDED.flush_lsn""")) {
                ps.setInt(1, w.content());
                ps.setString(2, w.hostname());
                ps.setString(3, w.address());
                ps.setString(4, w.dir());
                ps.setString(5, String.valueOf(w.status().code()));
                ps.setString(6, w.slot());
                ps.setString(7, w.flushLsn().toString());
                ps.executeUpdate();
            }
            CatalogStore.writeHistory(c, Map.of(primaryDbid, why));
            return null;
        });
    }

    /**
     * Status (and the flush position seen) compare-and-set: written only while the row still has {@code expected}'s
     * status, so a decision made on an old row is refused.
     *
     * @return false when the row changed or is gone (nothing written)
     */
    public static boolean setStatus(Connection c, Witness expected, Status status, Lsn flushLsn, int primaryDbid,
                                    String why, Optional<FencingToken> token) throws SQLException {
        return CatalogStore.inTransaction(c, () -> {
            lock(c, token);
            int n;
            try (PreparedStatement ps = c.prepareStatement("UPDATE tandem.gp_segment_witness SET status = ?, "
                    + "flush_lsn = GREATEST(flush_lsn, ?::pg_lsn) WHERE content = ? AND status = ? AND address = ? AND dir = ?")) {
                ps.setString(1, String.valueOf(status.code()));
                ps.setString(2, flushLsn.toString());
                ps.setInt(3, expected.content());
                ps.setString(4, String.valueOf(expected.status().code()));
                ps.setString(5, expected.address());
                ps.setString(6, expected.dir());
                n = ps.executeUpdate();
            }
            if (n == 1 && status != expected.status()) CatalogStore.writeHistory(c, Map.of(primaryDbid, why));
            return n == 1;
        });
    }

    /** Removes a content's witness row, with its history row; false when there was none. */
    public static boolean remove(Connection c, int content, int primaryDbid, String why) throws SQLException {
        return CatalogStore.inTransaction(c, () -> {
            lock(c, Optional.empty());
            int n;
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM tandem.gp_segment_witness WHERE content = ?")) {
                ps.setInt(1, content);
                n = ps.executeUpdate();
            }
            if (n == 1) CatalogStore.writeHistory(c, Map.of(primaryDbid, why));
            return n == 1;
        });
    }

    private static void lock(Connection c, Optional<FencingToken> token) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SELECT pg_advisory_xact_lock(" + CatalogStore.WRITE_LOCK_KEY + ")");
        }
        if (token.isPresent()) FtsLeaderTerm.check(c, token.get());
    }
}
