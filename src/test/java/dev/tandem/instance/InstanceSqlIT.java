package dev.tandem.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tandem.catalog.Lsn;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.cluster.InstanceConfigurer;
import dev.tandem.cluster.MirrorMode;
import dev.tandem.testing.Sql;
import dev.tandem.testing.TestCluster;
import dev.tandem.testing.Timeouts;
import dev.tandem.time.Time;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The SQL facade against a real primary and its real streaming, synchronous standby (content 0 of a small cluster,
 * no FTS running): the walsender model, synchronous replication off and on, the slot, a checkpoint, and last the
 * promotion, first with a deadline shorter than any promotion, then for real.
 */
@Timeout(300)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InstanceSqlIT {

    static final String SLOT = "tandem_it_slot";
    static TestCluster tc;
    static Segment primary;
    static Segment mirror;
    static String app;
    final InstanceSql sql = new InstanceSql();

    @BeforeAll
    static void start() throws Exception {
        tc = TestCluster.create("instancesql", List.of("127.0.0.1", "127.0.0.2"), 1, MirrorMode.GROUP);
        primary = row(Role.PRIMARY);
        mirror = row(Role.MIRROR);
        app = InstanceConfigurer.applicationName(mirror);
    }

    @AfterAll
    static void stop() {
        if (tc != null) tc.close();
    }

    static Segment row(Role role) throws SQLException {
        return tc.config().stream().filter(s -> s.content() == 0 && s.role() == role).findFirst().orElseThrow();
    }

    @Test
    @Order(1)
    void walSender_ofAnInSyncMirror_isStreamingAndSynchronous() throws Exception {
        try (Connection c = tc.cluster().connect(primary)) {
            Optional<WalSender> w = sql.awaitWalSender(c, app, WalSender::synchronous, Timeouts.seconds(30), Duration.ofMillis(50));
            assertThat(w).get().matches(WalSender::synchronous).matches(WalSender::streaming);
            assertThat(w.get().sentLsn()).isNotEqualTo(Lsn.ZERO);
            assertThat(sql.walSender(c, "nobody")).isEmpty();
            assertThat(sql.inRecovery(c)).isFalse();
            Positions p = sql.positions(c);
            assertThat(p.inRecovery()).isFalse();
            assertThat(p.current()).get().matches(l -> l.isAtLeast(w.get().sentLsn()));
            assertThat(p.received()).isEmpty();
        }
        try (Connection c = tc.cluster().connect(mirror)) {
            assertThat(sql.inRecovery(c)).isTrue();
            Positions p = sql.positions(c);
            assertThat(p.inRecovery()).isTrue();
            assertThat(p.receiverStreaming()).isTrue();
            assertThat(p.current()).isEmpty();
            assertThat(p.replayed()).get().matches(l -> !l.equals(Lsn.ZERO));
        }
    }

    @Test
    @Order(2)
    void syncRepOff_thenOn_theWalSenderFollows() throws Exception {
        try (Connection c = tc.cluster().connect(primary)) {
            sql.setSynchronousStandbyNames(c, "");
            // the reload reaches this session's backend asynchronously (at a later command), so look until it has
            await().atMost(Timeouts.seconds(10)).until(() -> sql.synchronousStandbyNames(c).isEmpty());
            Optional<WalSender> off = sql.awaitWalSender(c, app, w -> w.syncState() == WalSender.SyncState.ASYNC,
                    Timeouts.seconds(10), Duration.ofMillis(20));
            assertThat(off).get().matches(w -> !w.synchronous());
            // a commit no longer waits for anyone, and still reaches the mirror
            Sql.exec(tc.cluster(), primary, "CREATE TABLE IF NOT EXISTS facade_it (x int)");

            sql.setSynchronousStandbyNames(c, app);
            await().atMost(Timeouts.seconds(10)).until(() -> sql.synchronousStandbyNames(c).equals(app));
            Optional<WalSender> on = sql.awaitWalSender(c, app, WalSender::synchronous, Timeouts.seconds(10),
                    Duration.ofMillis(20));
            assertThat(on).get().matches(WalSender::synchronous);
        }
    }

    @Test
    @Order(3)
    void createSlot_isIdempotent() throws Exception {
        try (Connection c = tc.cluster().connect(primary)) {
            assertThat(sql.createSlot(c, SLOT)).isTrue();
            assertThat(sql.createSlot(c, SLOT)).isFalse();
            assertThat(Sql.one(tc.cluster(), primary, "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '"
                    + SLOT + "' AND restart_lsn IS NOT NULL")).isEqualTo("1");
            Sql.exec(tc.cluster(), primary, "SELECT pg_drop_replication_slot('" + SLOT + "')");
        }
    }

    @Test
    @Order(4)
    void checkpoint_movesTheCheckpoint_andLeavesTheSessionTimeoutAsItWas() throws Exception {
        try (Connection c = tc.cluster().connect(primary)) {
            Sql.exec(tc.cluster(), primary, "INSERT INTO facade_it SELECT generate_series(1, 1000)");
            String before = Sql.one(tc.cluster(), primary, "SELECT redo_lsn::text FROM pg_control_checkpoint()");
            int socketTimeout = c.getNetworkTimeout();
            sql.checkpoint(c);
            String after = Sql.one(tc.cluster(), primary, "SELECT redo_lsn::text FROM pg_control_checkpoint()");
            assertThat(Lsn.parse(after)).isGreaterThan(Lsn.parse(before));
            assertThat(c.getNetworkTimeout()).isEqualTo(socketTimeout).isPositive();
        }
    }

    @Test
    @Order(5)
    void promote_withADeadlineShorterThanThePromotion_givesUpAtIt_thenPromotesForReal() throws Exception {
        try (Connection c = tc.cluster().connect(mirror)) {
            sql.setSynchronousStandbyNames(c, "");
            sql.stopStreaming(c, mirror.location());
            assertThat(Sql.one(tc.cluster(), mirror, "SELECT count(*) FROM pg_stat_wal_receiver WHERE pid IS NOT NULL"))
                    .isEqualTo("0");

            InstanceSql hasty = new InstanceSql(Time.SYSTEM, InstanceSql.Timeouts.DEFAULTS.withPromote(Duration.ofMillis(1)));
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> hasty.promote(c, mirror.location()))
                    .isInstanceOf(SQLException.class).hasMessageContaining("gave up after 1 ms");
            Duration gaveUp = Duration.ofNanos(System.nanoTime() - t0);

            t0 = System.nanoTime();
            InstanceSql.Promotion second = sql.promote(c, mirror.location());
            Duration promoted = Duration.ofNanos(System.nanoTime() - t0);
            System.out.printf("[instancesql] hasty promote gave up after %d ms; the promotion finished %d ms later (%s)%n",
                    gaveUp.toMillis(), promoted.toMillis(), second);
            assertThat(gaveUp).isLessThan(Duration.ofSeconds(2));
            assertThat(sql.inRecovery(c)).isFalse();
            assertThat(sql.promote(c, mirror.location())).isEqualTo(InstanceSql.Promotion.WAS_PRIMARY);
            // the new primary takes a commit at once: nothing left that waits for a standby
            Sql.exec(tc.cluster(), mirror, "INSERT INTO facade_it VALUES (1)");
        }
    }
}
