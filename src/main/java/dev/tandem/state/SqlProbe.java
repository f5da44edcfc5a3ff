package dev.tandem.state;

import dev.tandem.catalog.Lsn;
import dev.tandem.catalog.Segment;
import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.InstanceConfigurer;
import dev.tandem.instance.InstanceSql;
import dev.tandem.instance.WalSender;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The probe over SQL: recovery state and WAL positions, the walsender for the partner (the one model FTS reads
 * too, {@link InstanceSql#walSender}), and the postmaster PID. Read-only; one short-lived connection.
 */
final class SqlProbe implements InstanceProbe {

    private static final String POSITIONS = """
            SELECT pg_is_in_recovery(),
                   CASE WHEN NOT pg_is_in_recovery() THEN pg_current_wal_lsn() END,
                   CASE WHEN pg_is_in_recovery() THEN pg_last_wal_receive_lsn() END,
                   CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() END""";
    // postmaster.pid's first line; pg_read_file needs superuser (the cluster role is one) and works on remote hosts
    private static final String PID = "SELECT split_part(pg_read_file('postmaster.pid', 0, 64), E'\\n', 1)";

    private final Cluster cluster;
    private final Duration timeout;
    private final InstanceSql sql = new InstanceSql();

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
            Optional<WalSender> sender = inRecovery || partner.isEmpty() ? Optional.empty()
                    : sql.walSender(c, InstanceConfigurer.applicationName(partner.get()));
            return new InstanceObservation.Reachable(pid(c, s), inRecovery, current, receive, replay, sender);
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
