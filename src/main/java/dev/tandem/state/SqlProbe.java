package dev.tandem.state;

import dev.tandem.catalog.Lsn;
import dev.tandem.catalog.Segment;
import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.InstanceConfigurer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The probe over SQL: recovery state and WAL positions, the walsender for the partner from
 * {@code pg_stat_replication}, and the postmaster PID. Read-only; one short-lived connection.
 */
final class SqlProbe implements InstanceProbe {

    private static final String POSITIONS = """
            SELECT pg_is_in_recovery(),
                   CASE WHEN NOT pg_is_in_recovery() THEN pg_current_wal_lsn() END,
                   CASE WHEN pg_is_in_recovery() THEN pg_last_wal_receive_lsn() END,
                   CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() END""";
    private static final String SENDER = """
            SELECT state, sent_lsn, flush_lsn, replay_lsn, sync_state, extract(epoch FROM replay_lag)
            FROM pg_stat_replication WHERE application_name = ? ORDER BY backend_start DESC LIMIT 1""";
    // postmaster.pid's first line; pg_read_file needs superuser (the cluster role is one) and works on remote hosts
    private static final String PID = "SELECT split_part(pg_read_file('postmaster.pid', 0, 64), E'\\n', 1)";

    private final Cluster cluster;
    private final Duration timeout;

    SqlProbe(Cluster cluster, Duration timeout) {
        this.cluster = cluster;
        this.timeout = timeout;
    }

    @Override
    public InstanceObservation.Reachable probe(Segment s, Optional<Segment> partner, Abandonable resources)
            throws SQLException {
        try (Connection c = resources.register(cluster.connector().open(s.address(), s.port(), timeout))) {
            boolean inRecovery;
            Optional<Lsn> current;
            Optional<Lsn> receive;
            Optional<Lsn> replay;
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(POSITIONS)) {
                rs.next();
                inRecovery = rs.getBoolean(1);
                current = lsn(rs.getString(2));
                receive = lsn(rs.getString(3));
                replay = lsn(rs.getString(4));
            }
            Optional<WalSender> sender = inRecovery || partner.isEmpty() ? Optional.empty() : sender(c, partner.get());
            return new InstanceObservation.Reachable(pid(c, s), inRecovery, current, receive, replay, sender);
        }
    }

    private static Optional<WalSender> sender(Connection c, Segment partner) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SENDER)) {
            ps.setString(1, InstanceConfigurer.applicationName(partner));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                Optional<Lsn> sent = lsn(rs.getString(2));
                Optional<Lsn> flush = lsn(rs.getString(3));
                Optional<Lsn> replay = lsn(rs.getString(4));
                // a walsender still in startup has no positions yet: not a sender worth reporting
                if (sent.isEmpty() || flush.isEmpty() || replay.isEmpty()) return Optional.empty();
                double lag = rs.getDouble(6);
                Optional<Duration> replayLag = rs.wasNull() ? Optional.empty()
                        : Optional.of(Duration.ofNanos((long) (lag * 1e9)));
                return Optional.of(new WalSender(rs.getString(1), sent.get(), flush.get(), replay.get(),
                        rs.getString(5), replayLag));
            }
        }
    }

    private OptionalInt pid(Connection c, Segment s) {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(PID)) {
            if (rs.next()) return parsePid(rs.getString(1));
        } catch (SQLException e) {
            // no privilege to read server files: ask the host instead, if we can reach it
        }
        if (!cluster.runner().reaches(s.address())) return OptionalInt.empty();
        try {
            var pid = cluster.tools().postmasterPid(s.address(), Path.of(s.datadir()));
            return pid.isPresent() ? OptionalInt.of((int) pid.getAsLong()) : OptionalInt.empty();
        } catch (RuntimeException e) {
            return OptionalInt.empty();
        }
    }

    static OptionalInt parsePid(String line) {
        if (line == null) return OptionalInt.empty();
        try {
            return OptionalInt.of(Integer.parseInt(line.strip()));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    private static Optional<Lsn> lsn(String text) {
        return text == null ? Optional.empty() : Optional.of(Lsn.parse(text));
    }
}
