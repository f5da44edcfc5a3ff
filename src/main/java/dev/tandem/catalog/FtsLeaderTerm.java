package dev.tandem.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one-row table {@code tandem.gp_fts_leader (term, holder, since)}: the newest FTS leader term the coordinator has
 * seen. A leader records its term when it starts to lead ({@link #claim}) and again inside the transaction of each of
 * its catalog writes ({@link #check}); both are one compare-and-set {@code UPDATE ... WHERE term <= mine}, so a term
 * only ever grows, and a write by an older term finds no row to update and is refused.
 *
 * <p>The row lives in the coordinator database, replicated to the standby coordinator with the catalog it guards.
 * A cluster without etcd never writes it (term 0).
 */
public final class FtsLeaderTerm {

    private static final Logger LOG = LoggerFactory.getLogger(FtsLeaderTerm.class);
    /** The last refused term that was logged: a deposed leader's refusals are said once, not once per content. */
    private static final AtomicLong LOGGED = new AtomicLong();

    /** What the row says. */
    public record Recorded(long term, String holder, String since) {
    }

    private FtsLeaderTerm() {
    }

    public static void create(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("""
                    CREATE TABLE IF NOT EXISTS tandem.gp_fts_leader (
                        id int PRIMARY KEY CHECK (id = 1),
                        term bigint NOT NULL DEFAULT 0,
                        holder text,
                        since timestamptz)""");
            st.execute("INSERT INTO tandem.gp_fts_leader (id) VALUES (1) ON CONFLICT DO NOTHING");
        }
    }

    /**
     * Records {@code token} as the newest term unless a newer one is recorded; {@code since} changes only with the
     * term. Runs in the caller's transaction (or commits by itself in auto-commit).
     *
     * @return true when recorded (the term is the newest), false when a newer term is there
     */
    public static boolean claim(Connection c, FencingToken token) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE tandem.gp_fts_leader
                   SET since = CASE WHEN term = ? THEN since ELSE clock_timestamp() END, term = ?, holder = ?
                 WHERE id = 1 AND term <= ?""")) {
            ps.setLong(1, token.term());
            ps.setLong(2, token.term());
            ps.setString(3, token.holder());
            ps.setLong(4, token.term());
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Inside a catalog write's transaction: refuses ({@link FencedOut}, logged once per refused term) when a newer
     * term is recorded. The row stays locked until the transaction ends, so no newer leader records its term between
     * this check and the write's commit.
     */
    public static void check(Connection c, FencingToken token) throws SQLException {
        if (claim(c, token)) return;
        Recorded now = read(c).orElse(new Recorded(0, "nobody", ""));
        String msg = "catalog write refused: FTS leader term " + token.term() + " (" + token.holder()
                + ") is stale, term " + now.term() + " (" + now.holder() + ") has been recorded since " + now.since()
                + "; a newer leader decides";
        if (LOGGED.getAndSet(token.term()) != token.term()) LOG.warn("{}", msg);
        throw new FencedOut(token.term(), now.term(), msg);
    }

    public static Optional<Recorded> read(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT term, holder, since FROM tandem.gp_fts_leader WHERE id = 1")) {
            return rs.next() ? Optional.of(new Recorded(rs.getLong(1), rs.getString(2), rs.getString(3))) : Optional.empty();
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) return Optional.empty(); // a catalog made before the table existed
            throw e;
        }
    }
}
