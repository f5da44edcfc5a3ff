package dev.tandem.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tandem.catalog.CatalogStore;
import dev.tandem.catalog.Segment;
import dev.tandem.drill.InProcessFts;
import dev.tandem.host.LocalHostRunner;
import dev.tandem.testing.Cli;
import dev.tandem.testing.Faults;
import dev.tandem.testing.FreePorts;
import dev.tandem.testing.Sql;
import dev.tandem.testing.TestCluster;
import dev.tandem.testing.TestDir;
import dev.tandem.testing.Timeouts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Greenplum's catalog names from every database of the coordinator (docs/catalog.md), one story on a real cluster
 * made by the CLI from a gpinitsystem_config with DATABASE_NAME: read from template1, from that database, from a
 * database created after init and by a role that is no superuser; from the standby coordinator; the same reads see
 * a failover; a coordinator restart keeps them; the activated standby reads its own.
 */
@Timeout(600)
class CatalogViewsIT {

    TestDir dir;
    Cluster cluster;
    InProcessFts fts;

    @BeforeEach
    void setUp() {
        dir = TestDir.create("catviews");
    }

    @AfterEach
    void tearDown() {
        try {
            if (fts != null) fts.close();
        } finally {
            dir.close(); // every PostgreSQL started under the test directory
        }
    }

    Connection db(Segment at, String database) throws SQLException {
        return cluster.connector().open(at.address(), at.port(), database, Duration.ofSeconds(10));
    }

    static String one(Connection c, String sql) throws SQLException {
        return Sql.rows(c, sql).get(0).get(0);
    }

    /** The rows as the catalog database's own table has them, one text line per row. */
    List<String> truth() throws SQLException {
        try (Connection c = cluster.coordinatorConnection()) {
            return lines(c, "tandem.gp_segment_configuration");
        }
    }

    static List<String> lines(Connection c, String relation) throws SQLException {
        return Sql.rows(c, "SELECT dbid, content, role, preferred_role, mode, status, port, hostname, address, datadir "
                + "FROM " + relation + " ORDER BY dbid").stream().map(r -> String.join("|", r)).toList();
    }

    @Test
    void catalogReadable_fromEveryDatabase_theStandby_andAfterAFailover() throws Exception {
        Path base = dir.path().resolve("cluster");
        int ports = FreePorts.range(List.of("127.0.0.1", "127.0.0.2"), 100);
        Path cfg = Files.writeString(dir.path().resolve("gpinitsystem_config"), """
                COORDINATOR_HOSTNAME=127.0.0.1
                COORDINATOR_DIRECTORY=%s/coordinator
                COORDINATOR_PORT=%d
                PORT_BASE=%d
                declare -a DATA_DIRECTORY=(%s/primary \\
                    )
                MIRROR_PORT_BASE=%d
                declare -a MIRROR_DATA_DIRECTORY=(%s/mirror)
                DATABASE_NAME=warehouse
                """.formatted(base, ports, ports + 10, base, ports + 50, base));
        Path hosts = Files.writeString(dir.path().resolve("hostfile"), "127.0.0.1\n127.0.0.2\n");
        // gpinitsystem's -n/--lc-* (one locale for every instance) and -e (the cluster role's password)
        Cli.Result init = Cli.run("init", "-a", "-c", cfg.toString(), "-h", hosts.toString(), "--no-fts",
                "-n", "C.utf8", "--lc-collate", "C", "-e", "Given:pass\\word");
        assertThat(init.exitCode()).as(init.err()).isZero();
        cluster = Cluster.open(base.resolve("coordinator/gpseg-1"), new LocalHostRunner(), null);
        Segment coord = cluster.configuration().stream().filter(Segment::isCoordinator).findFirst().orElseThrow();
        for (Segment s : cluster.configuration()) {
            try (Connection c = db(s, "postgres")) {
                assertThat(one(c, "SHOW lc_ctype")).as(s.toString()).isEqualTo("C.utf8");
                assertThat(one(c, "SHOW lc_collate")).as(s.toString()).isEqualTo("C");
            }
        }
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:postgresql://" + coord.address() + ":"
                + coord.port() + "/postgres", ClusterInitializer.SUPERUSER, "Given:pass\\word")) {
            assertThat(one(c, "SELECT current_user")).isEqualTo(ClusterInitializer.SUPERUSER);
        }
        List<String> rows = truth();
        assertThat(rows).hasSize(5);

        // template1, DATABASE_NAME's database, and the catalog database itself, under both names
        for (String database : List.of("template1", "warehouse", "postgres")) {
            try (Connection c = db(coord, database)) {
                assertThat(lines(c, "gp_segment_configuration")).as(database).isEqualTo(rows);
                assertThat(lines(c, "pg_catalog.gp_segment_configuration")).as(database).isEqualTo(rows);
                assertThat(Integer.parseInt(one(c, "SELECT count(*) FROM gp_configuration_history")))
                        .as(database).isGreaterThanOrEqualTo(5);
            }
        }
        // a database made after init, and a role that is no superuser: it reads the catalog, but not through dblink
        try (Connection c = cluster.coordinatorConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE later");
            st.execute("CREATE ROLE reader NOLOGIN");
        }
        try (Connection c = db(coord, "later"); Statement st = c.createStatement()) {
            assertThat(lines(c, "gp_segment_configuration")).isEqualTo(rows);
            st.execute("SET ROLE reader");
            assertThat(lines(c, "gp_segment_configuration")).isEqualTo(rows);
            assertThat(one(c, "SELECT count(*) FROM pg_catalog.gp_configuration_history WHERE \"desc\" LIKE 'tandem init%'"))
                    .isEqualTo("5");
            assertThatThrownBy(() -> one(c, "SELECT tandem.catalog_conninfo()")).hasMessageContaining("permission denied");
            st.execute("RESET ROLE");
        }

        // the standby coordinator: a pg_basebackup of the coordinator, reading its own catalog database
        Cli.Result sb = Cli.run("initstandby", "-a", "-s", "127.0.0.2", "-d", cluster.descriptor().datadir().toString());
        assertThat(sb.exitCode()).as(sb.err()).isZero();
        Segment standby = cluster.configuration().stream().filter(Segment::isStandbyCoordinator).findFirst().orElseThrow();
        List<String> withStandby = truth();
        assertThat(withStandby).hasSize(6);
        for (String database : List.of("template1", "warehouse", "later")) {
            try (Connection c = db(standby, database)) {
                assertThat(one(c, "SELECT pg_is_in_recovery()")).isEqualTo("t");
                assertThat(lines(c, "gp_segment_configuration")).as("standby " + database).isEqualTo(withStandby);
            }
        }

        // a failover: the primary of content 0 killed, FTS promotes its mirror; every database sees it at once
        Segment primary = cluster.configuration().stream().filter(s -> s.content() == 0 && s.isPrimary()).findFirst().orElseThrow();
        Segment mirror = cluster.configuration().stream().filter(s -> s.content() == 0 && s.isMirror()).findFirst().orElseThrow();
        fts = TestCluster.startFts(cluster);
        Faults.kill9(primary);
        try (Connection c = db(coord, "later")) {
            await().atMost(Timeouts.seconds(60)).until(() -> "p".equals(one(c,
                    "SELECT role FROM gp_segment_configuration WHERE dbid = " + mirror.dbid())));
            assertThat(lines(c, "gp_segment_configuration")).isEqualTo(truth());
            assertThat(one(c, "SELECT count(*) FROM gp_configuration_history WHERE \"desc\" LIKE "
                    + "'FTS: update role, status, and mode for dbid " + mirror.dbid() + " with contentid 0 to p, u, and n;%'"))
                    .isEqualTo("1");
        }
        try (Connection c = db(standby, "template1")) {
            await().atMost(Timeouts.seconds(30)).until(() -> "p".equals(one(c,
                    "SELECT role FROM pg_catalog.gp_segment_configuration WHERE dbid = " + mirror.dbid())));
        }
        fts.close();
        fts = null;

        // a coordinator restart keeps the views, and tandem start finds every database current
        Path coordDir = cluster.descriptor().datadir();
        cluster.tools().stop(coord.address(), coordDir, "fast");
        cluster.tools().start(coord.address(), coordDir);
        assertThat(cluster.installCatalogViews()).as("databases that needed the views again").isEmpty();
        try (Connection c = db(coord, "template1")) {
            assertThat(lines(c, "gp_segment_configuration")).isEqualTo(truth());
        }
        try (Connection c = cluster.coordinatorConnection()) {
            assertThat(CatalogStore.history(c)).isNotEmpty();
        }

        // the standby activated: the same definitions, now reading the new coordinator's own catalog database
        Faults.kill9(coord);
        Cli.Result act = Cli.run("activatestandby", "-a", "--no-fts", "-d", standby.datadir());
        assertThat(act.exitCode()).as(act.err()).isZero();
        try (Connection c = db(standby, "warehouse")) {
            assertThat(one(c, "SELECT pg_is_in_recovery()")).isEqualTo("f");
            assertThat(one(c, "SELECT role::text || status::text FROM gp_segment_configuration WHERE dbid = " + standby.dbid()))
                    .isEqualTo("pu");
            assertThat(one(c, "SELECT count(*) FROM gp_configuration_history WHERE \"desc\" LIKE '%activatestandby%'"))
                    .isNotEqualTo("0");
        }
    }
}
