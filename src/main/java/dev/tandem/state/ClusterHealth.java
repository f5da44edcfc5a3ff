package dev.tandem.state;

import dev.tandem.recovery.RecoveryProgress;
import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.SegmentPair;
import dev.tandem.state.InstanceObservation.NotContacted;
import dev.tandem.state.InstanceObservation.Reachable;
import dev.tandem.state.InstanceObservation.Unreachable;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * What a report means, worked out once so that every view agrees: the pairs, the standby, and the findings.
 * Views pick the findings they are about; a view's exit code is 1 exactly when it picked any.
 */
final class ClusterHealth {

    private final StateReport.Available report;
    private final Segment coordinator;
    private final List<Segment> instances;
    private final List<SegmentPair> pairs;
    private final StandbyHealth standby;
    private final List<Finding> findings;

    ClusterHealth(StateReport.Available report) {
        this.report = report;
        this.coordinator = report.segments().stream().filter(Segment::isCoordinator).findFirst().orElseThrow();
        Optional<Segment> standbyRow = report.segments().stream().filter(Segment::isStandbyCoordinator).findFirst();
        this.instances = report.segments().stream().filter(s -> s.content() >= 0)
                .sorted(Comparator.comparingInt(Segment::content).thenComparing(s -> s.preferredRole().code(),
                        Comparator.reverseOrder()))
                .toList();
        this.pairs = pairsOf(instances);
        this.standby = StandbyHealth.of(standbyRow, report.observation(coordinator),
                standbyRow.map(report::observation).orElse(InstanceObservation.NOT_CONTACTED));
        this.findings = new SegmentFindings(this).all();
    }

    private static List<SegmentPair> pairsOf(List<Segment> instances) {
        TreeMap<Integer, Segment[]> byContent = new TreeMap<>();
        for (Segment s : instances) {
            Segment[] pm = byContent.computeIfAbsent(s.content(), c -> new Segment[2]);
            pm[s.isPrimary() ? 0 : 1] = s;
        }
        return byContent.values().stream().filter(pm -> pm[0] != null).map(pm -> SegmentPair.of(pm[0], pm[1])).toList();
    }

    StateReport.Available report() {
        return report;
    }

    Segment coordinator() {
        return coordinator;
    }

    StandbyHealth standby() {
        return standby;
    }

    /** Segment instances (content 0..N-1) by content, the one configured as primary first. */
    List<Segment> instances() {
        return instances;
    }

    List<SegmentPair> pairs() {
        return pairs;
    }

    List<Finding> findings() {
        return findings;
    }

    /** Findings about segments, plus the standby's when it is configured but unwell. */
    List<Finding> clusterFindings() {
        return findings.stream().filter(f -> f.kind() != Finding.Kind.STANDBY_NOT_CONFIGURED).toList();
    }

    List<Finding> segmentFindings() {
        return findings.stream().filter(f -> !f.kind().aboutStandby()).toList();
    }

    InstanceObservation observation(Segment s) {
        return report.observation(s);
    }

    /** False in quick mode (-Q): nothing was probed, so "unreachable" counts mean nothing. */
    boolean probed() {
        return report.segments().stream().anyMatch(s -> !(observation(s) instanceof NotContacted));
    }

    boolean unreachable(Segment s) {
        return s.isUp() && observation(s) instanceof Unreachable;
    }

    /** Down in the catalog or not answering the probe. */
    boolean failed(Segment s) {
        return !s.isUp() || unreachable(s);
    }

    Optional<CatchUp> catchUp(int content) {
        return Optional.ofNullable(report.catchUps().get(content));
    }

    Optional<RecoveryProgress> recovery(int dbid) {
        return report.recoveries().stream().filter(r -> r.dbid() == dbid).findFirst();
    }

    Optional<Segment> byDbid(int dbid) {
        return report.segments().stream().filter(s -> s.dbid() == dbid).findFirst();
    }

    static boolean synced(SegmentPair p) {
        return p.mirror().isPresent() && p.primary().mode() == Mode.SYNCED && p.mirror().get().mode() == Mode.SYNCED;
    }

    /** WAL the mirror still lacks: from the catch-up samples, else from the primary's walsender. */
    OptionalLong walSyncRemaining(SegmentPair p) {
        Optional<CatchUp> c = catchUp(p.content());
        if (c.isPresent()) return OptionalLong.of(c.get().bytesBehind());
        if (observation(p.primary()) instanceof Reachable r && r.currentLsn().isPresent()
                && r.walSender().isPresent()) {
            return OptionalLong.of(r.currentLsn().get().bytesAfter(r.walSender().get().flushLsn()));
        }
        return OptionalLong.empty();
    }

    /** Database status as gpstate -s words it. */
    String databaseStatus(Segment s) {
        return switch (observation(s)) {
            case Reachable r -> r.inRecovery() ? "Up (in recovery)" : "Up";
            case Unreachable u -> "Unreachable: " + u.reason();
            case NotContacted n -> "Not checked (quick mode)";
        };
    }

    static String hostPort(Segment s) {
        return s.hostname() + ":" + s.port();
    }
}
