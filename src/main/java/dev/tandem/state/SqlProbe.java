package dev.tandem.state;

import dev.tandem.catalog.Segment;
import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.InstanceConfigurer;
import dev.tandem.instance.InstanceSql;
import dev.tandem.instance.Positions;
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
            Positions p = sql.positions(c);
            Optional<WalSender> sender = p.inRecovery() || partner.isEmpty() ? Optional.empty()
                    : sql.walSender(c, InstanceConfigurer.applicationName(partner.get()));
            return new InstanceObservation.Reachable(pid(c, s), p.inRecovery(), p.current(), p.received(), p.replayed(),
                    sender, serverVersion(c));
        }
    }

    /** The server_version reported at connection start (pgjdbc keeps it; no query). */
    private static Optional<String> serverVersion(Connection c) {
        try {
            return Optional.ofNullable(c.getMetaData().getDatabaseProductVersion());
        } catch (SQLException e) {
            return Optional.empty();
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
}
