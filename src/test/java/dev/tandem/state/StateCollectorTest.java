package dev.tandem.state;

import dev.tandem.recovery.RecoveryProgressStore;
import dev.tandem.recovery.RecoveryProgress;
import dev.tandem.recovery.RecoveryType;
import dev.tandem.catalog.Lsn;
import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.cluster.ClusterDescriptor;
import dev.tandem.instance.WalSender;
import dev.tandem.state.InstanceObservation.Reachable;
import dev.tandem.state.InstanceObservation.Unreachable;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;

/** The collector with fake probes: timeouts, failure reasons, catch-up sampling, quick mode. */
@Timeout(30)
class StateCollectorTest {

    @TempDir
    Path dir;

    private final List<Segment> rows = Fixtures.healthy().build().segments();
    private final AtomicLong clock = new AtomicLong();
    private final List<Duration> slept = new ArrayList<>();

    private ClusterDescriptor descriptor() {
        return new ClusterDescriptor("cdw", "cdw", 5432, dir.toString(), "postgres", "tandem", "/usr/bin", "group",
                "2025-01-01T00:00:00Z");
    }

    private StateCollector collector(StateCollector.CatalogSource catalog, InstanceProbe probe, Duration timeout) {
        // the fake clock only moves when the sleeper "sleeps"; real waiting is bounded by real time in BoundedCalls
        return collector(catalog, probe, timeout, () -> System.nanoTime() + clock.get());
    }

    private StateCollector collector(StateCollector.CatalogSource catalog, InstanceProbe probe, Duration timeout,
                                     java.util.function.LongSupplier nanoClock) {
        return new StateCollector(descriptor(), catalog, probe, new RecoveryProgressStore(dir), timeout,
                nanoClock, d -> {
                    slept.add(d);
                    clock.addAndGet(d.toNanos());
                });
    }

    private static InstanceProbe healthyProbe() {
        return (s, partner, r) -> s.isPrimary() ? Reachable.primary(100 + s.dbid(), Fixtures.HEAD, null)
                : Reachable.replica(100 + s.dbid(), Fixtures.HEAD, Fixtures.HEAD);
    }

    @Test
    void hungInstance_reportedTimedOut_withinTheTimeout_andItsResourceClosed() {
        CountDownLatch closed = new CountDownLatch(1);
        InstanceProbe probe = (s, partner, r) -> {
            if (s.dbid() != 4) return healthyProbe().probe(s, partner, r);
            r.register(closed::countDown);
            Thread.sleep(Long.MAX_VALUE); // a SIGSTOPped server: never answers
            return null;
        };
        long start = System.nanoTime();
        StateReport.Available report = (StateReport.Available) collector(res -> rows, probe, Duration.ofMillis(300))
                .collect(false);
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(millis).isLessThan(2_000);
        assertThat(report.observations().get(4)).isEqualTo(new Unreachable("timed out after 0.3 s"));
        assertThat(report.observations().get(5)).isInstanceOf(Reachable.class);
        assertThat(report.observations()).hasSize(rows.size());
        assertThat(awaitLatch(closed)).as("the hung call's connection is closed from outside").isTrue();
    }

    @Test
    void refusedConnection_reportedAsConnectionRefused() {
        InstanceProbe probe = (s, partner, r) -> {
            if (s.dbid() == 7) throw new SQLException("Connection to sdw2:7001 refused.", "08001",
                    new ConnectException("Connection refused"));
            return healthyProbe().probe(s, partner, r);
        };
        StateReport.Available report = (StateReport.Available) collector(res -> rows, probe, Duration.ofSeconds(3))
                .collect(false);
        assertThat(report.observations().get(7)).isEqualTo(new Unreachable("connection refused"));
    }

    @Test
    void startingUpInstance_reasonNamesTheSqlState() {
        InstanceProbe probe = (s, partner, r) -> {
            if (s.dbid() == 7) throw new SQLException("FATAL: the database system is starting up", "57P03");
            return healthyProbe().probe(s, partner, r);
        };
        StateReport.Available report = (StateReport.Available) collector(res -> rows, probe, Duration.ofSeconds(3))
                .collect(false);
        assertThat(((Unreachable) report.observations().get(7)).reason())
                .isEqualTo("not accepting connections: FATAL: the database system is starting up (SQLSTATE 57P03)");
    }

    @Test
    void coordinatorHung_reportsCoordinatorDown_withStandbyDatadirFromTheSnapshot() throws Exception {
        Files.writeString(dir.resolve("gpsegconfig_dump.json"), """
                [{"dbid":1,"content":-1,"role":"PRIMARY","preferredRole":"PRIMARY","mode":"SYNCED","status":"UP",
                  "port":5432,"hostname":"cdw","address":"cdw","datadir":"/data/c"},
                 {"dbid":10,"content":-1,"role":"MIRROR","preferredRole":"MIRROR","mode":"SYNCED","status":"UP",
                  "port":5432,"hostname":"smdw","address":"smdw","datadir":"/data/standby"}]""");
        StateCollector.CatalogSource hung = res -> {
            Thread.sleep(Long.MAX_VALUE);
            return null;
        };
        StateReport report = collector(hung, healthyProbe(), Duration.ofMillis(200)).collect(false);
        assertThat(report).isEqualTo(new StateReport.CoordinatorDown("cdw", 5432, "timed out after 0.2 s",
                Optional.of("/data/standby")));
    }

    @Test
    void quickMode_contactsNoInstance_butReadsRecoveryProgress() {
        new RecoveryProgressStore(dir).write(List.of(new RecoveryProgress(6, RecoveryType.FULL, 10, 40)), Instant.EPOCH);
        InstanceProbe forbidden = (s, partner, r) -> {
            throw new AssertionError("probed " + s.dbid() + " in quick mode");
        };
        StateReport.Available report = (StateReport.Available) collector(res -> rows, forbidden, Duration.ofSeconds(3))
                .collect(true);
        assertThat(report.observations()).isEmpty();
        assertThat(report.recoveries()).containsExactly(new RecoveryProgress(6, RecoveryType.FULL, 10, 40));
        assertThat(report.mirroringType()).isEqualTo(MirroringType.GROUP);
    }

    @Test
    void allInSync_takesOneLookOnly() {
        StateReport.Available report = (StateReport.Available) collector(res -> rows, healthyProbe(),
                Duration.ofSeconds(3)).collect(false);
        assertThat(slept).isEmpty();
        assertThat(report.catchUps()).isEmpty();
    }

    @Test
    void pairNotInSync_mirrorUp_twoLooksGiveTheCatchUpRate() {
        List<Segment> config = new ArrayList<>(rows);
        config.replaceAll(s -> s.content() == 1 ? s.withMode(Mode.NOT_SYNCED) : s);
        Map<Integer, Integer> looks = new ConcurrentHashMap<>();
        InstanceProbe probe = (s, partner, r) -> {
            if (s.dbid() != 3) return healthyProbe().probe(s, partner, r);
            int n = looks.merge(3, 1, Integer::sum);
            // primary at 0/5000000; mirror 4 MiB behind, then 1 MiB behind a second later
            long head = 0x5000000;
            long flushed = head - (n == 1 ? 4 : 1) * 1024 * 1024;
            return Reachable.primary(103, new Lsn(head), new WalSender(WalSender.State.CATCHUP, new Lsn(flushed), new Lsn(flushed),
                    new Lsn(flushed), WalSender.SyncState.ASYNC, Optional.empty()));
        };
        // a clock that moves only when the sleeper "sleeps": the rate does not depend on how busy the machine is
        StateReport.Available report = (StateReport.Available) collector(res -> config, probe, Duration.ofSeconds(3),
                clock::get).collect(false);

        assertThat(slept).containsExactly(StateCollector.SAMPLE_INTERVAL);
        CatchUp c = report.catchUps().get(1);
        assertThat(c.bytesBehind()).isEqualTo(1024 * 1024);
        // 3 MiB caught up over the fake second
        assertThat(c.rateBytesPerSecond().getAsDouble()).isEqualTo(3.0 * 1024 * 1024);
        assertThat(c.estimatedTime()).isPresent();
        assertThat(report.catchUps()).containsOnlyKeys(1);
    }

    @Test
    void pairNotInSync_mirrorDown_noCatchUpSampled() {
        List<Segment> config = new ArrayList<>(rows);
        config.replaceAll(s -> s.content() == 1 ? s.withMode(Mode.NOT_SYNCED) : s);
        config.replaceAll(s -> s.dbid() == 7 ? s.withStatus(Status.DOWN) : s);
        StateReport.Available report = (StateReport.Available) collector(res -> config, healthyProbe(),
                Duration.ofSeconds(3)).collect(false);
        assertThat(slept).isEmpty();
        assertThat(report.catchUps()).isEmpty();
    }

    @Test
    void progressStore_roundTrips_andAGarbledFileReadsAsNoProgress() throws Exception {
        RecoveryProgressStore store = new RecoveryProgressStore(dir);
        assertThat(store.read()).isEmpty();
        List<RecoveryProgress> p = List.of(new RecoveryProgress(6, RecoveryType.INCREMENTAL, 0, 0),
                new RecoveryProgress(7, RecoveryType.DIFFERENTIAL, 512, 2048));
        store.write(p, Instant.parse("2025-01-01T12:00:00Z"));
        assertThat(store.read()).isEqualTo(p);
        assertThat(Files.readString(store.file())).contains("\"type\" : \"differential\"");
        Files.writeString(store.file(), "{ not json");
        assertThat(store.read()).isEmpty();
        store.clear();
        assertThat(Files.exists(store.file())).isFalse();
    }

    private static boolean awaitLatch(CountDownLatch l) {
        try {
            return l.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
