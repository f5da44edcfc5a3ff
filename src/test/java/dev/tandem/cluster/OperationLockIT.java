package dev.tandem.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.drill.InProcessFts;
import dev.tandem.testing.Cli;
import dev.tandem.testing.Faults;
import dev.tandem.testing.Sql;
import dev.tandem.testing.TestCluster;
import dev.tandem.testing.Timeouts;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One recovery or rebalance at a time, and a run that lost its lock stops instead of acting beside another. */
@Timeout(600)
class OperationLockIT {

    static TestCluster tc;
    static InProcessFts fts;
    static String dir;

    @BeforeAll
    static void start() {
        tc = TestCluster.create("operation-lock", List.of("127.0.0.1", "127.0.0.2"), 1, MirrorMode.GROUP);
        fts = TestCluster.startFts(tc.cluster());
        dir = tc.cluster().descriptor().coordinatorDatadir();
    }

    @AfterAll
    static void stop() {
        if (fts != null) fts.close();
        if (tc != null) tc.close();
    }

    static Segment row(int content, Role role) throws SQLException {
        return tc.config().stream().filter(s -> s.content() == content && s.role() == role).findFirst().orElseThrow();
    }

    @Test
    void aRunWhoseSessionEnded_seesItHasLostTheLock_andASecondRunCanTakeIt() throws Exception {
        try (Connection first = tc.cluster().coordinatorConnection();
             Connection second = tc.cluster().coordinatorConnection()) {
            OperationLock.Held held = OperationLock.hold(first, "test run 1");
            held.check();
            assertThatThrownBy(() -> OperationLock.hold(second, "test run 2"))
                    .hasMessageContaining("another recovery or rebalance is running").hasMessageContaining("test run 1");
            // what a coordinator restart does to the first run's session
            String pid = Sql.one(tc.cluster(), tc.config().stream().filter(Segment::isCoordinator).findFirst().orElseThrow(),
                    "SELECT pid FROM pg_stat_activity WHERE application_name = 'test run 1'");
            Sql.one(tc.cluster(), tc.config().stream().filter(Segment::isCoordinator).findFirst().orElseThrow(),
                    "SELECT pg_terminate_backend(" + pid + ")");
            assertThatThrownBy(held::check).isInstanceOf(ClusterException.class)
                    .hasMessageContaining("stopping before the next step");
            OperationLock.hold(second, "test run 2").check();
        }
    }

    @Test
    void rebalance_isRefusedWhileARecoveryHoldsTheLock_thenRuns() throws Exception {
        await().atMost(Timeouts.seconds(60)).until(() -> row(0, Role.MIRROR).mode() == Mode.SYNCED);
        Segment oldPrimary = row(0, Role.PRIMARY);
        Faults.kill9(oldPrimary);
        await().atMost(Timeouts.seconds(30)).until(() -> row(0, Role.PRIMARY).dbid() != oldPrimary.dbid());
        Cli.Result recovered = Cli.run("recoverseg", "-a", "-d", dir);
        assertThat(recovered.exitCode()).as(recovered.err()).isZero();
        await().atMost(Timeouts.seconds(120)).until(() -> row(0, Role.MIRROR).status() == Status.UP
                && row(0, Role.MIRROR).mode() == Mode.SYNCED);
        assertThat(row(0, Role.MIRROR).dbid()).as("roles switched: a rebalance has work").isEqualTo(oldPrimary.dbid());

        try (Connection recovery = tc.cluster().coordinatorConnection()) {
            OperationLock.hold(recovery, "tandem recoverseg (test)");
            Cli.Result refused = Cli.run("recoverseg", "-r", "-a", "-d", dir);
            assertThat(refused.exitCode()).isNotZero();
            assertThat(refused.err()).contains("another recovery or rebalance is running");
            // a dry run refuses what the run refuses, in the same words, without taking the lock itself
            String words = refused.err().substring(refused.err().indexOf("another recovery")).strip();
            for (String[] dry : new String[][] {{"recoverseg", "-r", "--dry-run", "-d", dir},
                    {"rebalance", "--dry-run", "-d", dir}, {"recoverseg", "--dry-run", "-d", dir}}) {
                Cli.Result r = Cli.run(dry);
                assertThat(r.exitCode()).as(String.join(" ", dry)).isNotZero();
                assertThat(r.err()).as(String.join(" ", dry)).contains(words);
            }
            assertThat(row(0, Role.PRIMARY).dbid()).as("nothing switched").isNotEqualTo(oldPrimary.dbid());
        }
        Cli.Result dry = Cli.run("rebalance", "--dry-run", "-d", dir);
        assertThat(dry.exitCode()).as(dry.err()).isZero();
        Cli.Result rebalanced = Cli.run("recoverseg", "-r", "-a", "-d", dir);
        assertThat(rebalanced.exitCode()).as(rebalanced.err()).isZero();
        await().atMost(Timeouts.seconds(60)).until(() -> row(0, Role.PRIMARY).dbid() == oldPrimary.dbid());
    }
}
