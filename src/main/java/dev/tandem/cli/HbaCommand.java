package dev.tandem.cli;

import dev.tandem.exit.ExitCode;
import dev.tandem.catalog.Segment;
import dev.tandem.cluster.Cluster;
import dev.tandem.query.ClientAccess;
import dev.tandem.query.ClientRule;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "hba", mixinStandardHelpOptions = true,
        description = {"Client access to the coordinator (Greenplum: edit the coordinator's pg_hba.conf, gpstop -u).",
                "Segments are never opened to application roles: they admit only the cluster role."},
        subcommands = {HbaCommand.Allow.class, HbaCommand.ListEntries.class})
final class HbaCommand {

    /** The coordinator and, if the catalog has one, the standby coordinator: the places clients connect to. */
    static List<Segment> coordinators(Cluster c) throws SQLException {
        return c.configuration().stream().filter(s -> s.isCoordinator() || s.isStandbyCoordinator())
                .sorted((a, b) -> Boolean.compare(a.isStandbyCoordinator(), b.isStandbyCoordinator())).toList();
    }

    static String name(Segment s) {
        return (s.isCoordinator() ? "coordinator " : "standby coordinator ") + s.address() + ":" + s.port();
    }

    @Command(name = "allow", mixinStandardHelpOptions = true,
            description = {"Admit an application role from a client network, with SCRAM: adds "
                    + "'host DB ROLE CIDR scram-sha-256' to pg_hba.conf on the coordinator and the standby "
                    + "coordinator (if any), then reloads them. Idempotent: an existing line is not added again.",
                    "Create the role on the coordinator with CREATE ROLE ... LOGIN PASSWORD '...'."})
    static final class Allow implements Callable<Integer> {
        @Mixin
        ClusterOptions cluster;

        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "The application role.")
        String role;

        @Option(names = "--network", required = true, paramLabel = "CIDR",
                description = "Client network, e.g. 10.0.8.0/24 or 192.168.1.7/32.")
        String network;

        @Option(names = "--database", paramLabel = "DB", description = "Database (default: postgres, where the "
                + "distributed tables are).")
        String database;

        @Override
        public Integer call() throws Exception {
            ClientRule rule = ClientRule.of(database, role, network); // before anything is opened or changed
            Cluster c = cluster.open();
            if (rule.role().equals(c.descriptor().superuser())) {
                throw new IllegalArgumentException("role " + rule.role() + " is the cluster role, admitted from the "
                        + "cluster's hosts only; create an application role for clients");
            }
            List<Segment> targets = coordinators(c);
            try (Connection conn = c.coordinatorConnection()) {
                warnAboutRole(conn, rule.role());
            }
            ClientAccess access = new ClientAccess(c.files());
            List<String> failed = new ArrayList<>();
            for (Segment s : targets) {
                try {
                    boolean changed = access.allow(s.address(), Path.of(s.datadir()), rule);
                    Output.info(name(s) + ": pg_hba.conf " + (changed ? "now admits" : "already admits") + " "
                            + rule.role() + " from " + rule.network() + " to " + rule.database());
                    reload(c, s);
                } catch (SQLException | RuntimeException e) {
                    failed.add(name(s) + ": " + e.getMessage());
                }
            }
            if (!failed.isEmpty()) {
                throw new PartlyDone("not done everywhere: " + String.join("; ", failed)
                        + ". Run the same command again once it can be reached (it adds only what is missing)");
            }
            return ExitCode.OK.code();
        }

        private static void warnAboutRole(Connection conn, String role) throws SQLException {
            try (PreparedStatement ps = conn.prepareStatement(
                    "SELECT rolcanlogin, rolsuper FROM pg_catalog.pg_roles WHERE rolname = ?")) {
                ps.setString(1, role);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        Output.warn("role " + role + " does not exist yet: CREATE ROLE " + role
                                + " LOGIN PASSWORD '...' on the coordinator");
                    } else if (!rs.getBoolean(1)) {
                        Output.warn("role " + role + " cannot log in (ALTER ROLE " + role + " LOGIN)");
                    } else if (rs.getBoolean(2)) {
                        Output.warn("role " + role + " is a superuser: clients from that network get every right");
                    }
                }
            }
        }

        /** pg_reload_conf(), then PostgreSQL's own reading of the file: a line it cannot parse is reported. */
        private static void reload(Cluster c, Segment s) throws SQLException {
            try (Connection conn = c.connect(s); Statement st = conn.createStatement()) {
                st.execute("SELECT pg_catalog.pg_reload_conf()");
                try (ResultSet rs = st.executeQuery("SELECT line_number, error FROM pg_catalog.pg_hba_file_rules "
                        + "WHERE error IS NOT NULL ORDER BY line_number")) {
                    while (rs.next()) {
                        Output.warn(name(s) + ": pg_hba.conf line " + rs.getInt(1) + " is ignored: " + rs.getString(2));
                    }
                }
            }
            Output.info(name(s) + ": reloaded");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Show the pg_hba.conf entries of the coordinator and the standby coordinator.")
    static final class ListEntries implements Callable<Integer> {
        @Mixin
        ClusterOptions cluster;

        @Override
        public Integer call() throws Exception {
            Cluster c = cluster.open();
            ClientAccess access = new ClientAccess(c.files());
            int failed = 0;
            for (Segment s : coordinators(c)) {
                System.out.println(name(s) + " (" + Path.of(s.datadir()).resolve("pg_hba.conf") + "):");
                try {
                    access.entries(s.address(), Path.of(s.datadir())).forEach(l -> System.out.println("  " + l));
                } catch (RuntimeException e) {
                    System.out.println("  cannot be read: " + e.getMessage());
                    failed++;
                }
            }
            return ExitCode.attentionIf(failed > 0).code();
        }
    }
}
