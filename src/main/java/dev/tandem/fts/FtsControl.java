package dev.tandem.fts;

import dev.tandem.catalog.FtsTables;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * FTS's own state in the coordinator database: run-time settings ({@code tandem config set}), the on-demand probe
 * ({@code SELECT tandem.request_fts_probe()}), the daemon's heartbeat, and the advisory lock that lets only one
 * daemon act on a cluster.
 *
 * <p>The probe request uses a sequence because {@code nextval} is visible to other sessions at once, while a
 * NOTIFY or a row written inside the caller's function would only be seen after it returns. The function then
 * waits until the daemon reports a round that began after the request as finished.
 */
public final class FtsControl {

    /** Advisory lock key: "FTS" in ASCII, so it shows recognisably in pg_locks. */
    public static final long LOCK_KEY = 0x465453L;

    private FtsControl() {
    }

    /** The tables this class reads and writes; they belong to the catalog schema (see {@link FtsTables}). */
    public static void createSchema(Connection c) throws SQLException {
        FtsTables.create(c);
    }

    /** Takes the lock if free; the holder keeps it for the life of {@code c}'s session. */
    public static boolean tryLock(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_try_advisory_lock(" + LOCK_KEY + ")")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** Who holds the FTS lock, for the waiting daemon's message. */
    public static Optional<String> lockHolder(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
                SELECT f.daemon_host, f.daemon_pid, a.client_addr, a.backend_start
                FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid, tandem.fts_status f
                WHERE l.locktype = 'advisory' AND l.granted AND ((l.classid::bigint << 32) | l.objid::bigint) = """
                + LOCK_KEY)) {
            if (!rs.next()) return Optional.empty();
            return Optional.of("daemon pid " + rs.getString(2) + " on " + rs.getString(1) + " (session from "
                    + rs.getString(3) + " since " + rs.getString(4) + ")");
        }
    }

    public static Map<String, String> settings(Connection c) throws SQLException {
        Map<String, String> out = new TreeMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT name, value FROM tandem.fts_settings")) {
            while (rs.next()) out.put(rs.getString(1), rs.getString(2));
        }
        return out;
    }

    /** The settings in force: defaults overridden by what is stored; a stored value that no longer parses is skipped. */
    public static FtsSettings effective(Map<String, String> stored) {
        FtsSettings s = FtsSettings.DEFAULTS;
        for (var e : stored.entrySet()) {
            Optional<FtsSetting> setting = FtsSetting.named(e.getKey());
            if (setting.isEmpty()) continue;
            try {
                s = setting.get().set(s, e.getValue());
            } catch (IllegalArgumentException ignored) {
                // validated when stored; a value from an older version is ignored rather than stopping FTS
            }
        }
        return s;
    }

    /** A setting changed by {@link #change}: its value before and after (normalised, as stored). */
    public record Change(FtsSetting setting, String was, String now) {
    }

    /**
     * Changes one setting as {@code tandem config set} does (and the HTTP API's settings endpoint, through here):
     * the name must be known, the value in range and the settings as a whole consistent, else nothing is stored and
     * an {@link IllegalArgumentException} says why. The daemon uses it from its next round.
     */
    public static Change change(Connection c, String name, String value) throws SQLException {
        FtsSetting setting = FtsSetting.require(name);
        createSchema(c);
        FtsSettings current = effective(settings(c));
        FtsSettings next = setting.set(current, value); // validates the range before storing
        if (!next.combinationProblems().isEmpty()) {
            throw new IllegalArgumentException(setting.settingName() + " = " + value + " refused, nothing "
                    + "changed: " + String.join("; ", next.combinationProblems()));
        }
        store(c, setting.settingName(), setting.get(next));
        return new Change(setting, setting.get(current), setting.get(next));
    }

    public static void store(Connection c, String name, String value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO tandem.fts_settings (name, value) VALUES (?, ?) "
                + "ON CONFLICT (name) DO UPDATE SET value = excluded.value")) {
            ps.setString(1, name);
            ps.setString(2, value);
            ps.executeUpdate();
        }
    }

    /** The newest probe request so far (0 when none was ever made). */
    public static long latestRequest(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM tandem.fts_probe_requests")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** @param httpUrl the daemon's HTTP endpoint, null when it has none */
    public static void roundStarted(Connection c, String host, long pid, String httpUrl) throws SQLException {
        withoutWaitingForDisk(c, () -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE tandem.fts_status SET round_started = clock_timestamp(), "
                    + "daemon_host = ?, daemon_pid = ?, http_url = ? WHERE id = 1")) {
                ps.setString(1, host);
                ps.setLong(2, pid);
                ps.setString(3, httpUrl);
                ps.executeUpdate();
            }
        });
    }

    /**
     * The FTS daemon as it last reported itself: where it runs, how long ago (by the coordinator's clock) it last
     * finished a round, and its HTTP endpoint. {@code roundAgeSeconds} is null when no round ever finished.
     */
    public record DaemonStatus(String host, Long pid, Double roundAgeSeconds, String httpUrl) {
    }

    /** Empty when no daemon ever ran a round on this cluster. */
    public static Optional<DaemonStatus> status(Connection c) throws SQLException {
        // http_url read through to_jsonb: a catalog from before the column (no daemon of this version ran yet) still
        // answers, with no endpoint
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT daemon_host, daemon_pid, "
                + "extract(epoch FROM clock_timestamp() - round_finished), to_jsonb(f) ->> 'http_url' "
                + "FROM tandem.fts_status f WHERE id = 1")) {
            if (!rs.next() || rs.getString(1) == null) return Optional.empty();
            long pid = rs.getLong(2);
            Long pidOrNull = rs.wasNull() ? null : pid;
            double age = rs.getDouble(3);
            Double ageOrNull = rs.wasNull() ? null : age;
            return Optional.of(new DaemonStatus(rs.getString(1), pidOrNull, ageOrNull, rs.getString(4)));
        }
    }

    public static void roundFinished(Connection c, long servedRequest) throws SQLException {
        withoutWaitingForDisk(c, () -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE tandem.fts_status SET round_finished = clock_timestamp(), "
                    + "served_request = greatest(served_request, ?) WHERE id = 1")) {
                ps.setLong(1, servedRequest);
                ps.executeUpdate();
            }
        });
    }

    private interface Work {
        void run() throws SQLException;
    }

    /**
     * Commits {@code work} with synchronous_commit off: a round's bookkeeping is visible to other sessions at once
     * (a waiting probe request sees it), and losing the last one in a coordinator crash loses nothing. Twice a
     * cycle, every cycle, a WAL flush (and with a synchronous standby coordinator, a wait for it) would otherwise sit
     * between a failed probe and its retry. Catalog writes never take this path.
     */
    private static void withoutWaitingForDisk(Connection c, Work work) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            try (Statement st = c.createStatement()) {
                st.execute("SET LOCAL synchronous_commit = off");
            }
            work.run();
            c.commit();
        } catch (SQLException | RuntimeException e) {
            // the first error is the one reported: a connection that broke also fails the rollback and the restore
            try {
                c.rollback();
                c.setAutoCommit(auto);
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        c.setAutoCommit(auto);
    }
}
