package dev.tandem.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.catalog.CatalogStore;
import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.cluster.MirrorMode;
import dev.tandem.drill.InProcessFts;
import dev.tandem.testing.Faults;
import dev.tandem.testing.Sql;
import dev.tandem.testing.TestCluster;
import dev.tandem.testing.Timeouts;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The cluster the recoverseg integration tests share: 2 contents on 2 loopback hosts (127.0.0.1, 127.0.0.2), group
 * mirroring, the FTS daemon loop running in this JVM, which fails over, marks mirrors down and marks pairs in sync
 * again around each recovery; and the looks at it those tests take.
 */
final class RecoveryTestCluster implements AutoCloseable {

    private final TestCluster tc;
    private final InProcessFts fts;

    private RecoveryTestCluster(TestCluster tc, InProcessFts fts) {
        this.tc = tc;
        this.fts = fts;
    }

    static RecoveryTestCluster start(String name) {
        TestCluster tc = TestCluster.create(name, List.of("127.0.0.1", "127.0.0.2"), 1, MirrorMode.GROUP);
        try {
            return new RecoveryTestCluster(tc, TestCluster.startFts(tc.cluster()));
        } catch (RuntimeException e) {
            tc.close();
            throw e;
        }
    }

    TestCluster tc() {
        return tc;
    }

    /** The coordinator data directory, the {@code -d} of every command. */
    String dir() {
        return tc.cluster().descriptor().coordinatorDatadir();
    }

    Segment row(int content, Role role) throws SQLException {
        return tc.config().stream().filter(s -> s.content() == content && s.role() == role).findFirst().orElseThrow();
    }

    /** Both instances up and the pair marked in sync by FTS (a full copy of 1 GB may take a while to catch up). */
    void awaitInSync(int content) {
        await().atMost(Timeouts.seconds(120)).untilAsserted(() -> {
            assertThat(row(content, Role.PRIMARY).status()).isEqualTo(Status.UP);
            assertThat(row(content, Role.PRIMARY).mode()).isEqualTo(Mode.SYNCED);
            assertThat(row(content, Role.MIRROR).status()).isEqualTo(Status.UP);
            assertThat(row(content, Role.MIRROR).mode()).isEqualTo(Mode.SYNCED);
        });
    }

    /** {@code kill -9} of the mirror's postmaster, then FTS marks it down; returns its row from before. */
    Segment killMirrorAndAwaitDown(int content) throws Exception {
        Segment m = row(content, Role.MIRROR);
        Faults.kill9(m);
        await().atMost(Timeouts.seconds(30)).until(() -> row(content, Role.MIRROR).status() == Status.DOWN);
        return m;
    }

    Set<Long> rowsOn(Segment s, String table) throws SQLException {
        Set<Long> out = new HashSet<>();
        for (List<String> r : Sql.rows(tc.cluster(), s, "SELECT id FROM " + table)) out.add(Long.parseLong(r.get(0)));
        return out;
    }

    /** The descriptions of the history rows about {@code dbid}, oldest first. */
    List<String> history(int dbid) throws SQLException {
        try (Connection c = tc.cluster().coordinatorConnection()) {
            return CatalogStore.history(c).stream().filter(h -> h.dbid() == dbid).map(CatalogStore.HistoryRow::desc).toList();
        }
    }

    @Override
    public void close() {
        fts.close();
        tc.close();
    }
}
