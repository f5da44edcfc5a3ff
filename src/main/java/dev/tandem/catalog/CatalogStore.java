package dev.tandem.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code gp_segment_configuration} and {@code gp_configuration_history} in the coordinator database, schema
 * {@code tandem}, on the default search_path. Every change is checked against {@link Invariants} and written in one
 * transaction together with its history rows (invariant 5); changes of a pair must be edges of {@link TransitionTable}.
 */
public final class CatalogStore {

    public static final String SCHEMA = "tandem";
    /** The catalog write lock: "CAT" in ASCII, distinct from the FTS, recovery, standby and maintenance locks. */
    public static final long WRITE_LOCK_KEY = 0x434154L;
    private static final Logger LOG = LoggerFactory.getLogger(CatalogStore.class);

    private CatalogStore() {
    }

    public static void createSchema(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
            st.execute("""
                    CREATE TABLE IF NOT EXISTS tandem.gp_segment_configuration (
                        dbid smallint PRIMARY KEY,
                        content smallint NOT NULL,
                        role "char" NOT NULL CHECK (role IN ('p','m')),
                        preferred_role "char" NOT NULL CHECK (preferred_role IN ('p','m')),
                        mode "char" NOT NULL CHECK (mode IN ('s','n')),
                        status "char" NOT NULL CHECK (status IN ('u','d')),
                        port integer NOT NULL,
                        hostname text NOT NULL,
                        address text NOT NULL,
                        datadir text NOT NULL)""");
            // a second acting primary for one content cannot even be written
            st.execute("CREATE UNIQUE INDEX IF NOT EXISTS gp_segment_configuration_one_primary "
                    + "ON tandem.gp_segment_configuration (content) WHERE role = 'p'");
            st.execute("CREATE UNIQUE INDEX IF NOT EXISTS gp_segment_configuration_one_mirror "
                    + "ON tandem.gp_segment_configuration (content) WHERE role = 'm'");
            st.execute("""
                    CREATE TABLE IF NOT EXISTS tandem.gp_configuration_history (
                        "time" timestamptz NOT NULL DEFAULT clock_timestamp(),
                        dbid smallint NOT NULL,
                        "desc" text)""");
            st.execute("ALTER SYSTEM SET search_path = \"$user\", public, " + SCHEMA);
            // public stays the creation schema (applications create tables there), so it must not be writable by
            // every role, or one could shadow gp_segment_configuration for an operator's psql (PostgreSQL 15 made
            // this the default; 14 did not)
            st.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
            st.execute("SELECT pg_reload_conf()");
        }
    }

    public static List<Segment> read(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT dbid, content, role, preferred_role, mode, status, port, "
                     + "hostname, address, datadir FROM tandem.gp_segment_configuration ORDER BY content, role DESC, dbid")) {
            return rows(rs);
        }
    }

    /**
     * Takes the catalog write lock (a transaction-level advisory lock: every writer, in any process, waits for the one
     * before it to commit) and then reads every row {@code FOR UPDATE}, inside the caller's transaction. The lock
     * first, the read after it: rows are replaced by DELETE and INSERT, and a {@code FOR UPDATE} that waited on a
     * deleted row would skip it and not see its replacement, so a read that began before the other writer committed
     * would miss rows.
     */
    static List<Segment> lockForWrite(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SELECT pg_advisory_xact_lock(" + WRITE_LOCK_KEY + ")");
        }
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT dbid, content, role, preferred_role, mode, status, port, "
                     + "hostname, address, datadir FROM tandem.gp_segment_configuration ORDER BY dbid FOR UPDATE")) {
            return rows(rs);
        }
    }

    private static List<Segment> rows(ResultSet rs) throws SQLException {
        List<Segment> out = new ArrayList<>();
        while (rs.next()) {
            out.add(new Segment(rs.getInt(1), rs.getInt(2), Role.of(rs.getString(3)), Role.of(rs.getString(4)),
                    Mode.of(rs.getString(5)), Status.of(rs.getString(6)), rs.getInt(7), rs.getString(8),
                    rs.getString(9), rs.getString(10)));
        }
        return out;
    }

    /**
     * Inserts or replaces the given rows (by dbid) and writes one history row per changed row, in one transaction,
     * after checking that the whole resulting configuration satisfies the invariants.
     *
     * @param reasons dbid → history description ("what changed and why")
     * @return the configuration after the change
     */
    public static List<Segment> apply(Connection c, List<Segment> changed, Map<Integer, String> reasons)
            throws SQLException {
        return apply(c, changed, List.of(), reasons);
    }

    /**
     * Like {@link CatalogWriter#apply} but expecting nothing (no compare-and-set) and writing {@code reasons} as
     * given: for writers that build whole rows themselves under their own lock ({@code tandem init},
     * {@code initstandby}, {@code activatestandby}). Still checks the invariants and the pair's transition table.
     */
    public static List<Segment> apply(Connection c, List<Segment> changed, List<Integer> removedDbids,
                                      Map<Integer, String> reasons) throws SQLException {
        return inTransaction(c, () -> {
            List<Segment> locked = lockForWrite(c);
            List<Segment> result = merge(locked, changed, removedDbids);
            validate(locked, result);
            replace(c, changed, removedDbids);
            writeHistory(c, reasons);
            return result;
        });
    }

    /** Work that runs in one transaction on a connection. */
    @FunctionalInterface
    interface TransactionWork<T> {
        T run() throws SQLException;
    }

    /** Runs {@code work} in one transaction on {@code c}: committed when it returns, rolled back when it throws. */
    static <T> T inTransaction(Connection c, TransactionWork<T> work) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            T result = work.run();
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    static List<Segment> merge(List<Segment> locked, List<Segment> changed, List<Integer> removedDbids) {
        Map<Integer, Segment> config = new TreeMap<>();
        for (Segment s : locked) config.put(s.dbid(), s);
        removedDbids.forEach(config::remove);
        for (Segment s : changed) config.put(s.dbid(), s);
        return config.values().stream().sorted(Comparator.comparingInt(Segment::dbid)).toList();
    }

    /** The invariants and the pair's transition table, or a refusal (logged here, once, with its reason). */
    static void validate(List<Segment> before, List<Segment> after) {
        try {
            Invariants.check(after);
            TransitionTable.check(before, after);
        } catch (InvariantViolation e) {
            LOG.warn("catalog write refused: {}", e.getMessage());
            throw e;
        }
    }

    static void replace(Connection c, List<Segment> changed, List<Integer> removedDbids) throws SQLException {
        try (PreparedStatement del = c.prepareStatement(
                "DELETE FROM tandem.gp_segment_configuration WHERE dbid = ?")) {
            for (Integer d : removedDbids) {
                del.setInt(1, d);
                del.addBatch();
            }
            for (Segment s : changed) {
                del.setInt(1, s.dbid());
                del.addBatch();
            }
            del.executeBatch();
        }
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO tandem.gp_segment_configuration "
                + "(dbid, content, role, preferred_role, mode, status, port, hostname, address, datadir) "
                + "VALUES (?, ?, ?::\"char\", ?::\"char\", ?::\"char\", ?::\"char\", ?, ?, ?, ?)")) {
            for (Segment s : changed) {
                ins.setInt(1, s.dbid());
                ins.setInt(2, s.content());
                ins.setString(3, String.valueOf(s.role().code()));
                ins.setString(4, String.valueOf(s.preferredRole().code()));
                ins.setString(5, String.valueOf(s.mode().code()));
                ins.setString(6, String.valueOf(s.status().code()));
                ins.setInt(7, s.port());
                ins.setString(8, s.hostname());
                ins.setString(9, s.address());
                ins.setString(10, s.datadir());
                ins.addBatch();
            }
            ins.executeBatch();
        }
    }

    /** History rows that record an event without a catalog change (a double fault, say). */
    public static void writeHistory(Connection c, Map<Integer, String> reasons) throws SQLException {
        try (PreparedStatement h = c.prepareStatement(
                "INSERT INTO tandem.gp_configuration_history (dbid, \"desc\") VALUES (?, ?)")) {
            for (var e : reasons.entrySet()) {
                h.setInt(1, e.getKey());
                h.setString(2, e.getValue());
                h.addBatch();
            }
            h.executeBatch();
        }
    }

    public record HistoryRow(java.time.OffsetDateTime time, int dbid, String desc) {
    }

    public static List<HistoryRow> history(Connection c) throws SQLException {
        List<HistoryRow> out = new ArrayList<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT \"time\", dbid, \"desc\" FROM tandem.gp_configuration_history "
                     + "ORDER BY \"time\", dbid")) {
            while (rs.next()) {
                out.add(new HistoryRow(rs.getObject(1, java.time.OffsetDateTime.class), rs.getInt(2), rs.getString(3)));
            }
        }
        return out;
    }

    /**
     * One page of history, newest first: at most {@code limit} rows older than {@code beforeMicros} (microseconds
     * since the epoch, exclusive) when given. Rows are told apart by their time (each row's own
     * {@code clock_timestamp()}), so the time of a page's last row is the next page's cursor.
     */
    public static List<HistoryRow> historyPage(Connection c, int limit, java.util.OptionalLong beforeMicros)
            throws SQLException {
        List<HistoryRow> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT \"time\", dbid, \"desc\" FROM tandem.gp_configuration_history "
                + "WHERE ?::bigint IS NULL OR \"time\" < 'epoch'::timestamptz + ?::bigint * interval '1 microsecond' "
                + "ORDER BY \"time\" DESC, dbid DESC LIMIT ?")) {
            if (beforeMicros.isPresent()) {
                ps.setLong(1, beforeMicros.getAsLong());
                ps.setLong(2, beforeMicros.getAsLong());
            } else {
                ps.setNull(1, java.sql.Types.BIGINT);
                ps.setNull(2, java.sql.Types.BIGINT);
            }
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new HistoryRow(rs.getObject(1, java.time.OffsetDateTime.class), rs.getInt(2), rs.getString(3)));
                }
            }
        }
        return out;
    }
}
