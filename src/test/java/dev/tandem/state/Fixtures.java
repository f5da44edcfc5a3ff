package dev.tandem.state;

import dev.tandem.recovery.RecoveryProgress;
import dev.tandem.recovery.RecoveryType;
import dev.tandem.catalog.Lsn;
import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.instance.WalSender;
import dev.tandem.state.InstanceObservation.Reachable;
import dev.tandem.state.InstanceObservation.Unreachable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fixed reports for the golden tests. The cluster: coordinator cdw, standby smdw, four contents in group
 * mirroring over sdw1 and sdw2 (primaries dbid 2..5, mirrors dbid 6..9).
 */
final class Fixtures {

    static final Lsn HEAD = Lsn.parse("0/5A000000");

    private final List<Segment> rows = new ArrayList<>();
    private final Map<Integer, InstanceObservation> obs = new HashMap<>();
    private final Map<Integer, CatchUp> catchUps = new HashMap<>();
    private final List<RecoveryProgress> recoveries = new ArrayList<>();
    private MirroringType type = MirroringType.GROUP;

    static Fixtures healthy() {
        Fixtures f = new Fixtures();
        f.rows.add(row(1, -1, 'p', 's', 'u', "cdw", 5432, "/data/coordinator/gpseg-1"));
        f.rows.add(row(10, -1, 'm', 's', 'u', "smdw", 5432, "/data/coordinator/gpseg-1"));
        for (int c = 0; c < 4; c++) {
            String ph = c < 2 ? "sdw1" : "sdw2";
            String mh = c < 2 ? "sdw2" : "sdw1";
            f.rows.add(row(2 + c, c, 'p', 's', 'u', ph, 6000 + c % 2, "/data/primary/gpseg" + c));
            f.rows.add(row(6 + c, c, 'm', 's', 'u', mh, 7000 + c % 2, "/data/mirror/gpseg" + c));
        }
        Reachable coordinator = Reachable.primary(1001, HEAD, sender("streaming", HEAD, "sync", 2));
        f.obs.put(1, new Reachable(coordinator.pid(), false, coordinator.currentLsn(), Optional.empty(),
                Optional.empty(), coordinator.walSender(), Optional.of("15.8 (Debian 15.8-0+deb12u1)")));
        f.obs.put(10, Reachable.replica(1010, HEAD, HEAD));
        for (int c = 0; c < 4; c++) {
            f.obs.put(2 + c, Reachable.primary(2000 + c, HEAD, sender("streaming", HEAD, "sync", 1)));
            f.obs.put(6 + c, Reachable.replica(3000 + c, HEAD, HEAD));
        }
        return f;
    }

    static Segment row(int dbid, int content, char role, char mode, char status, String host, int port, String dir) {
        return new Segment(dbid, content, Role.of(role), Role.of(role), Mode.of(mode), Status.of(status), port, host,
                host, dir);
    }

    static WalSender sender(String state, Lsn flushed, String sync, int lagMillis) {
        return new WalSender(WalSender.State.of(state), flushed, flushed, flushed, WalSender.SyncState.of(sync),
                Optional.of(Duration.ofMillis(lagMillis)));
    }

    Segment get(int dbid) {
        return rows.stream().filter(s -> s.dbid() == dbid).findFirst().orElseThrow();
    }

    Fixtures set(Segment s) {
        rows.replaceAll(r -> r.dbid() == s.dbid() ? s : r);
        return this;
    }

    Fixtures observe(int dbid, InstanceObservation o) {
        obs.put(dbid, o);
        return this;
    }

    Fixtures catchUp(int content, CatchUp c) {
        catchUps.put(content, c);
        return this;
    }

    Fixtures recovering(RecoveryProgress p) {
        recoveries.add(p);
        return this;
    }

    Fixtures without(int dbid) {
        rows.removeIf(r -> r.dbid() == dbid);
        obs.remove(dbid);
        return this;
    }

    Fixtures quick() {
        obs.clear();
        return this;
    }

    Fixtures type(MirroringType t) {
        type = t;
        return this;
    }

    /** Both rows of a content to mode n, the primary sending nothing: its mirror is away. */
    Fixtures pairNotInSync(int content) {
        set(get(2 + content).withMode(Mode.NOT_SYNCED));
        set(get(6 + content).withMode(Mode.NOT_SYNCED));
        return observe(2 + content, Reachable.primary(2000 + content, HEAD, null));
    }

    /** The FTS daemon as it last reported itself; a running one by default. */
    Fixtures ftsDaemon(Optional<dev.tandem.fts.FtsControl.DaemonStatus> d) {
        ftsDaemon = d;
        return this;
    }

    private Optional<dev.tandem.fts.FtsControl.DaemonStatus> ftsDaemon =
            Optional.of(new dev.tandem.fts.FtsControl.DaemonStatus("cdw", 4242L, 0.4, "http://127.0.0.1:7070"));

    private java.util.List<WitnessState> witnesses = java.util.List.of();

    /** Content 0's witness streaming, 4096 bytes behind; content 1's marked down and not connected. */
    Fixtures withWitnesses() {
        dev.tandem.catalog.Witness w0 = new dev.tandem.catalog.Witness(0, "wit1", "wit1", "/data/witness/gpseg0",
                dev.tandem.catalog.Status.UP, dev.tandem.catalog.Witness.SLOT, Lsn.parse("0/59000000"));
        dev.tandem.catalog.Witness w1 = new dev.tandem.catalog.Witness(1, "wit1", "wit1", "/data/witness/gpseg1",
                dev.tandem.catalog.Status.DOWN, dev.tandem.catalog.Witness.SLOT, Lsn.parse("0/58000000"));
        WalSender s0 = new WalSender(WalSender.State.STREAMING, HEAD, Lsn.parse("0/59FFF000"), Lsn.ZERO,
                WalSender.SyncState.POTENTIAL);
        witnesses = java.util.List.of(new WitnessState(w0, Optional.of(s0), Optional.of(HEAD), Optional.empty()),
                new WitnessState(w1, Optional.empty(), Optional.of(HEAD), Optional.empty()));
        return this;
    }

    StateReport.Available build() {
        return new StateReport.Available(rows, type, obs, catchUps, recoveries, java.util.List.of(), java.util.List.of(),
                ftsDaemon, witnesses);
    }

    /** Every scenario the golden files cover, by file name. */
    static Map<String, StateReport> scenarios() {
        Map<String, StateReport> m = new LinkedHashMap<>();
        m.put("all-well", healthy().build());
        m.put("mirror-down", mirrorDown().build());
        m.put("failed-over", failedOver().build());
        m.put("double-fault", doubleFault().build());
        m.put("catching-up", catchingUp().build());
        m.put("hung-primary", hungPrimary().ftsDaemon(Optional.of(
                new dev.tandem.fts.FtsControl.DaemonStatus("cdw", 4242L, 42.5, null))).build());
        m.put("in-recovery", inRecovery().build());
        m.put("coordinator-down", coordinatorDown());
        m.put("no-standby", healthy().without(10).type(MirroringType.SPREAD).ftsDaemon(Optional.empty()).build());
        m.put("standby-lagging", standbyLagging().build());
        m.put("quick-mode", healthy().quick().type(MirroringType.UNKNOWN).build());
        m.put("witnesses", healthy().withWitnesses().build());
        return m;
    }

    static Fixtures mirrorDown() {
        Fixtures f = healthy().pairNotInSync(1);
        f.set(f.get(7).withStatus(Status.DOWN));
        return f.observe(7, new Unreachable("connection refused"));
    }

    /** Content 0 failed over: the old primary (dbid 2) is a down mirror, the old mirror (dbid 6) acts as primary. */
    static Fixtures failedOver() {
        Fixtures f = healthy();
        f.set(f.get(2).withRole(Role.MIRROR).withMode(Mode.NOT_SYNCED).withStatus(Status.DOWN));
        f.set(f.get(6).withRole(Role.PRIMARY).withMode(Mode.NOT_SYNCED));
        f.observe(2, new Unreachable("connection refused"));
        return f.observe(6, Reachable.primary(3000, HEAD, null));
    }

    /** Content 2: the mirror was already down when the primary died; nothing to promote. */
    static Fixtures doubleFault() {
        Fixtures f = healthy().pairNotInSync(2);
        f.set(f.get(8).withStatus(Status.DOWN));
        f.observe(8, new Unreachable("connection refused"));
        return f.observe(4, new Unreachable("connection refused"));
    }

    /** Content 3's mirror is back and streaming, 96 MiB behind, closing the gap at 8 MiB/s. */
    static Fixtures catchingUp() {
        Fixtures f = healthy();
        f.set(f.get(5).withMode(Mode.NOT_SYNCED));
        f.set(f.get(9).withMode(Mode.NOT_SYNCED));
        long mib = 1024 * 1024;
        Lsn flushed = new Lsn(HEAD.value() - 96 * mib);
        f.observe(5, Reachable.primary(2003, HEAD, sender("catchup", flushed, "async", 5200)));
        f.observe(9, Reachable.replica(3003, flushed, flushed));
        CatchUp c = CatchUp.between(new CatchUp.Sample(0, HEAD, new Lsn(HEAD.value() - 104 * mib)),
                new CatchUp.Sample(1_000_000_000L, HEAD, flushed));
        return f.catchUp(3, c);
    }

    /** Content 1's primary is stopped (SIGSTOP): the catalog still says in sync, the probe timed out. */
    static Fixtures hungPrimary() {
        return healthy().observe(3, new Unreachable("timed out after 2 s"));
    }

    static Fixtures inRecovery() {
        Fixtures f = mirrorDown();
        long mib = 1024 * 1024;
        return f.recovering(new RecoveryProgress(7, RecoveryType.FULL, 400 * mib, 1000 * mib));
    }

    static StateReport coordinatorDown() {
        return new StateReport.CoordinatorDown("cdw", 5432, "connection refused",
                Optional.of("/data/coordinator/gpseg-1"));
    }

    static Fixtures standbyLagging() {
        Fixtures f = healthy();
        Lsn flushed = new Lsn(HEAD.value() - 48L * 1024 * 1024);
        f.observe(1, Reachable.primary(1001, HEAD, sender("streaming", flushed, "async", 9400)));
        return f.observe(10, Reachable.replica(1010, flushed, flushed));
    }
}
