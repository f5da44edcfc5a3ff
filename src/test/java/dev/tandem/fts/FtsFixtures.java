package dev.tandem.fts;

import dev.tandem.catalog.Lsn;
import dev.tandem.catalog.Mode;
import dev.tandem.catalog.PairState;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.SegmentPair;
import dev.tandem.catalog.Status;
import dev.tandem.instance.WalSender;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Catalog rows, probes and configurations for FTS tests. Content 0 is the pair under test. */
final class FtsFixtures {

    static final long T0 = 1_000_000_000_000L; // an arbitrary monotonic origin, far from 0
    static final Lsn WAL = Lsn.parse("0/5000000");
    static final Lsn BEHIND = Lsn.parse("0/4000000");

    static final Segment COORDINATOR = seg(1, -1, Role.PRIMARY, Role.PRIMARY, Mode.NOT_SYNCED, Status.UP, "cdw");
    /** Another content, untouched by any decision about content 0. */
    static final List<Segment> CONTENT_1 = List.of(
            seg(4, 1, Role.PRIMARY, Role.PRIMARY, Mode.SYNCED, Status.UP, "sdw2"),
            seg(5, 1, Role.MIRROR, Role.MIRROR, Mode.SYNCED, Status.UP, "sdw1"));

    private FtsFixtures() {
    }

    static Segment seg(int dbid, int content, Role role, Role preferred, Mode mode, Status status, String host) {
        return new Segment(dbid, content, role, preferred, mode, status, 6000 + dbid, host, host, "/data/" + dbid);
    }

    static long at(double seconds) {
        return T0 + Math.round(seconds * 1e9);
    }

    /** Content 0 in {@code state}; {@code switched}: the preferred mirror (dbid 3) acts as primary. */
    static SegmentPair pair(PairState state, boolean switched) {
        Segment a = seg(2, 0, Role.PRIMARY, Role.PRIMARY, state.primaryMode, state.primaryStatus, "sdw1");
        Segment b = seg(3, 0, Role.MIRROR, Role.MIRROR, state.mirrorMode, state.mirrorStatus, "sdw2");
        if (!switched) return SegmentPair.of(a, b);
        Segment primary = b.withRole(Role.PRIMARY).withStatus(state.primaryStatus).withMode(state.primaryMode);
        Segment mirror = a.withRole(Role.MIRROR).withStatus(state.mirrorStatus).withMode(state.mirrorMode);
        return SegmentPair.of(primary, mirror);
    }

    static SegmentPair unmirrored(boolean switched) {
        Role preferred = switched ? Role.MIRROR : Role.PRIMARY;
        return SegmentPair.of(seg(2, 0, Role.PRIMARY, preferred, Mode.NOT_SYNCED, Status.UP, "sdw1"), null);
    }

    static List<Segment> config(SegmentPair pair) {
        List<Segment> rows = new ArrayList<>(List.of(COORDINATOR, pair.primary()));
        pair.mirror().ifPresent(rows::add);
        rows.addAll(CONTENT_1);
        return rows;
    }

    /** The configuration after replacing rows by dbid, as the executor's catalog write would. */
    static List<Segment> apply(List<Segment> config, List<Segment> newRows) {
        List<Segment> out = new ArrayList<>();
        for (Segment s : config) {
            out.add(newRows.stream().filter(n -> n.dbid() == s.dbid()).findFirst().orElse(s));
        }
        return out;
    }

    static SegmentPair pairOf(List<Segment> rows) {
        Segment p = rows.stream().filter(s -> s.content() == 0 && s.isPrimary()).findFirst().orElseThrow();
        Segment m = rows.stream().filter(s -> s.content() == 0 && s.isMirror()).findFirst().orElse(null);
        return SegmentPair.of(p, m);
    }

    static WalSender streamingSync() {
        return new WalSender(WalSender.State.STREAMING, WAL, WAL, WAL, WalSender.SyncState.SYNC);
    }

    static WalSender streamingAsync() {
        return new WalSender(WalSender.State.STREAMING, WAL, WAL, WAL, WalSender.SyncState.ASYNC);
    }

    static WalSender catchingUp() {
        return new WalSender(WalSender.State.CATCHUP, BEHIND, BEHIND, BEHIND, WalSender.SyncState.ASYNC);
    }

    static PrimaryObservation.Reachable reachable(Optional<WalSender> walSender, boolean syncRepOn) {
        return new PrimaryObservation.Reachable(false, walSender, syncRepOn, true, WAL);
    }

    static PrimaryObservation.Reachable inSyncProbe() {
        return reachable(Optional.of(streamingSync()), true);
    }

    static PrimaryObservation.Refused refused() {
        return new PrimaryObservation.Refused("Connection refused");
    }

    static PrimaryObservation.Timeout timeout(double seconds) {
        return new PrimaryObservation.Timeout(Duration.ofMillis(Math.round(seconds * 1000)), "read timed out");
    }

    static PrimaryObservation.Starting starting(String replayLsn) {
        return new PrimaryObservation.Starting(Optional.ofNullable(replayLsn).map(Lsn::parse),
                "the database system is starting up");
    }

    static Optional<MirrorObservation> standby() {
        return Optional.of(new MirrorObservation.Standby(true, WAL, WAL));
    }
}
