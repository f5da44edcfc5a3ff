package dev.tandem.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.catalog.CatalogStore;
import dev.tandem.catalog.Segment;
import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.MirrorMode;
import dev.tandem.host.RoutingHostRunner;
import dev.tandem.testing.Cli;
import dev.tandem.testing.Faults;
import dev.tandem.testing.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code tandem hba allow} on a real cluster with a standby coordinator: an application role connecting from a
 * client address (127.0.0.5, a loopback alias bound as the JDBC socket's source) is refused by the coordinator until
 * the command admits it; then it reads a distributed table, and after {@code activatestandby} it reads it through the
 * new coordinator, whose pg_hba.conf the command wrote too (the standby was copied before the command ran). A segment
 * primary refuses the same role from the same address throughout.
 */
@Timeout(600)
class ClientAccessIT {

    static final String CLIENT = "127.0.0.5";
    static TestCluster tc;

    @BeforeAll
    static void start() {
        tc = TestCluster.create("clientaccess", List.of("127.0.0.1", "127.0.0.2"), 1, MirrorMode.GROUP);
    }

    @AfterAll
    static void stop() {
        if (tc != null) tc.close(); // every instance under the test directory, the activated standby included
    }

    static Connection asApp(String host, int port) throws SQLException {
        return connect("app_orders", "orders-pw", CLIENT, host, port);
    }

    static Connection connect(String user, String password, String from, String host, int port) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("localSocketAddress", from);
        p.setProperty("connectTimeout", "5");
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/postgres", p);
    }

    static String one(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static long linesFor(Segment s, String role) throws Exception {
        return Files.readAllLines(Path.of(s.datadir(), "pg_hba.conf")).stream()
                .filter(l -> !l.strip().startsWith("#") && l.contains(" " + role + " ")).count();
    }

    @Test
    void anApplicationRole_isAdmittedOnTheCoordinatorAndItsStandby_neverOnASegment() throws Exception {
        Path coordDir = tc.cluster().descriptor().datadir();
        Cli.Result init = Cli.run("initstandby", "-a", "-s", "127.0.0.2", "-d", coordDir.toString());
        assertThat(init.exitCode()).as(init.err()).isZero();
        List<Segment> config = tc.config();
        Segment coord = config.stream().filter(Segment::isCoordinator).findFirst().orElseThrow();
        Segment standby = config.stream().filter(Segment::isStandbyCoordinator).findFirst().orElseThrow();
        Segment primary = config.stream().filter(s -> s.content() == 0 && s.isPrimary()).findFirst().orElseThrow();
        try (Connection c = tc.cluster().coordinatorConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE public.orders (id int PRIMARY KEY, amount int NOT NULL)");
            st.execute("SELECT tandem.create_distributed_table('public.orders', 'id')");
            st.execute("INSERT INTO orders SELECT g, g FROM generate_series(1, 1000) g");
            st.execute("CREATE ROLE app_orders LOGIN PASSWORD 'orders-pw'");
            st.execute("GRANT SELECT ON orders TO app_orders");
        }

        // before: the coordinator refuses the role from the client address
        assertThatThrownBy(() -> asApp(coord.address(), coord.port()).close())
                .hasMessageContaining("no pg_hba.conf entry").hasMessageContaining(CLIENT);

        // bad input: refused (usage, exit 2) naming what is wrong, no file touched
        String before = Files.readString(Path.of(coord.datadir(), "pg_hba.conf"));
        Cli.Result bad = Cli.run("hba", "allow", "--role", "app_orders", "--network", "127.0.0.5/24", "-d",
                coordDir.toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("network 127.0.0.5/24 has host bits set: the network is 127.0.0.0/24");
        Cli.Result keyword = Cli.run("hba", "allow", "--role", "all", "--network", "127.0.0.5/32", "-d",
                coordDir.toString());
        assertThat(keyword.exitCode()).isEqualTo(2);
        assertThat(keyword.err()).contains("role 'all' is a pg_hba.conf keyword");
        Cli.Result clusterRole = Cli.run("hba", "allow", "--role", tc.cluster().descriptor().superuser(),
                "--network", "127.0.0.5/32", "-d", coordDir.toString());
        assertThat(clusterRole.exitCode()).isEqualTo(2);
        assertThat(clusterRole.err()).contains("is the cluster role");
        assertThat(Files.readString(Path.of(coord.datadir(), "pg_hba.conf"))).isEqualTo(before);

        // the command, twice: one line on each coordinator, none on any segment
        for (int i = 0; i < 2; i++) {
            Cli.Result ok = Cli.run("hba", "allow", "--role", "app_orders", "--network", CLIENT + "/32", "-d",
                    coordDir.toString());
            assertThat(ok.exitCode()).as(ok.err()).isZero();
        }
        assertThat(linesFor(coord, "app_orders")).isEqualTo(1);
        assertThat(linesFor(standby, "app_orders")).isEqualTo(1);
        for (Segment s : config.stream().filter(s -> s.content() >= 0).toList()) {
            assertThat(linesFor(s, "app_orders")).as(s.subject()).isZero();
        }

        try (Connection app = asApp(coord.address(), coord.port())) {
            assertThat(one(app, "SELECT inet_client_addr()::text")).isEqualTo(CLIENT + "/32");
            assertThat(one(app, "SELECT count(*) || ' ' || sum(amount) FROM orders")).isEqualTo("1000 500500");
        }
        // a segment primary still admits only the cluster role, and only from the cluster's hosts: not the
        // application role from the client's address, nor from a cluster host, nor the cluster role (with its
        // password) from the client's address
        assertThatThrownBy(() -> asApp(primary.address(), primary.port()).close())
                .hasMessageContaining("no pg_hba.conf entry").hasMessageContaining(CLIENT);
        assertThatThrownBy(() -> connect("app_orders", "orders-pw", coord.address(), primary.address(),
                primary.port()).close()).hasMessageContaining("no pg_hba.conf entry")
                .hasMessageContaining("user \"app_orders\"");
        String clusterUser = tc.cluster().descriptor().superuser();
        String clusterPassword = dev.tandem.cluster.Secrets.passwordFrom(
                Files.readString(Path.of(coord.datadir(), "tandem.pgpass")));
        assertThatThrownBy(() -> connect(clusterUser, clusterPassword, CLIENT, primary.address(), primary.port())
                .close()).hasMessageContaining("no pg_hba.conf entry").hasMessageContaining(CLIENT);
        connect(clusterUser, clusterPassword, coord.address(), primary.address(), primary.port()).close();

        // the coordinator dies; the activated standby admits the role with no further step
        Faults.kill9(coord);
        Path standbyDir = Path.of(standby.datadir());
        Cli.Result act = Cli.run("activatestandby", "-a", "--no-fts", "-d", standbyDir.toString());
        assertThat(act.exitCode()).as(act.err()).isZero();
        Cluster now = Cluster.open(standbyDir, RoutingHostRunner.standard(), null);
        Segment newCoord;
        try (Connection c = now.coordinatorConnection()) {
            newCoord = CatalogStore.read(c).stream().filter(Segment::isCoordinator).findFirst().orElseThrow();
        }
        assertThat(newCoord.address()).isEqualTo("127.0.0.2");
        try (Connection app = asApp(newCoord.address(), newCoord.port())) {
            assertThat(one(app, "SELECT count(*) || ' ' || sum(amount) FROM orders")).isEqualTo("1000 500500");
        }
        Cli.Result list = Cli.run("hba", "list", "-d", standbyDir.toString());
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThatThrownBy(() -> asApp(primary.address(), primary.port()).close())
                .hasMessageContaining("no pg_hba.conf entry");
    }
}
