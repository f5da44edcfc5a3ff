package dev.tandem.web;

import dev.tandem.catalog.Lsn;
import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.fts.Decision;
import dev.tandem.fts.FtsSettings;
import dev.tandem.fts.PairMemory;
import dev.tandem.fts.PrimaryObservation;
import dev.tandem.fts.ProbeResult;
import dev.tandem.fts.RoundReport;
import dev.tandem.instance.WalSender;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Fake FTS rounds for the web tests: a coordinator and two pairs, content 0 on 127.0.0.2/3, content 1 on .3/.2. */
final class Rounds {

    static final Lsn HEAD = Lsn.parse("0/5000000");

    private Rounds() {
    }

    static Segment row(int dbid, int content, Role role, Role preferred, Mode mode, Status status, String address, int port) {
        return new Segment(dbid, content, role, preferred, mode, status, port, "host-" + address, address, "/d/" + dbid);
    }

    /** Every pair in sync, each primary in its preferred role. */
    static List<Segment> healthy() {
        return new ArrayList<>(List.of(
                row(1, -1, Role.PRIMARY, Role.PRIMARY, Mode.NOT_SYNCED, Status.UP, "127.0.0.1", 5432),
                row(2, 0, Role.PRIMARY, Role.PRIMARY, Mode.SYNCED, Status.UP, "127.0.0.2", 6000),
                row(4, 0, Role.MIRROR, Role.MIRROR, Mode.SYNCED, Status.UP, "127.0.0.3", 7000),
                row(3, 1, Role.PRIMARY, Role.PRIMARY, Mode.SYNCED, Status.UP, "127.0.0.3", 6001),
                row(5, 1, Role.MIRROR, Role.MIRROR, Mode.SYNCED, Status.UP, "127.0.0.2", 7001)));
    }

    /** Content 0 failed over: dbid 4 is its primary now, dbid 2 is a down mirror. */
    static List<Segment> failedOver() {
        List<Segment> rows = healthy();
        rows.set(1, row(2, 0, Role.MIRROR, Role.PRIMARY, Mode.NOT_SYNCED, Status.DOWN, "127.0.0.2", 6000));
        rows.set(2, row(4, 0, Role.PRIMARY, Role.MIRROR, Mode.NOT_SYNCED, Status.UP, "127.0.0.3", 7000));
        return rows;
    }

    static ProbeResult streaming(long lagBytes, long lagMillis) {
        WalSender w = new WalSender(WalSender.State.STREAMING, HEAD, new Lsn(HEAD.value() - lagBytes), HEAD,
                WalSender.SyncState.SYNC, Optional.of(Duration.ofMillis(lagMillis)));
        return new ProbeResult(new PrimaryObservation.Reachable(false, Optional.of(w), true, true, HEAD), Optional.empty(),
                Duration.ofMillis(3));
    }

    static ProbeResult refused() {
        return new ProbeResult(new PrimaryObservation.Refused("connection refused"), Optional.empty(), Duration.ofMillis(1));
    }

    static RoundReport round(List<Segment> catalog, Map<Integer, ProbeResult> probes, long startedNanos, long finishedNanos) {
        Map<Integer, Decision> decisions = new HashMap<>();
        probes.keySet().forEach(c -> decisions.put(c, new Decision.NoChange("healthy", PairMemory.FRESH)));
        return new RoundReport(catalog, probes, decisions, FtsSettings.DEFAULTS, startedNanos, finishedNanos);
    }

    static Decision promote() {
        return new Decision.Promote(List.of(), "primary refused; promoting", PairMemory.FRESH);
    }
}
