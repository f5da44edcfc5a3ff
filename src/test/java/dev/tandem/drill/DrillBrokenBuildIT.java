package dev.tandem.drill;

import dev.tandem.cli.SelfCommand;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.fts.FtsService;
import dev.tandem.host.LocalHostRunner;
import dev.tandem.testing.TestCluster;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Each check shown able to fail: the drill runs against an FTS whose decision function was deliberately broken
 * (injected, in process; nothing in production code knows about it) and must report the damage.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class DrillBrokenBuildIT {

    private static DrillReport drill(String name, FtsService.Decider decider, List<Fault> script, Duration recoverTimeout)
            throws Exception {
        DrillConfig config = DrillConfig.of(script.size(), 1L, Duration.ofMinutes(5), 2, Optional.empty())
                .withScript(script).withRecoverTimeout(recoverTimeout);
        DrillReport report = new Drill(config, new LocalHostRunner(), TestCluster.pgBin(),
                line -> System.out.println("[" + name + "] " + line),
                Optional.of(c -> new FtsService(c, name, decider)), SelfCommand::tandem).run();
        System.out.println(report.render());
        return report;
    }

    /**
     * The broken build leaves synchronous replication off and then promotes an out-of-sync mirror. Since the catalog
     * writer checks the pair's transition table, that promotion is refused (mirror-down -> roles swapped): nothing
     * is lost and no demoted primary acknowledges, which the drill's own checks confirm; the pairs never get back in
     * sync, which they report. (The loss and demoted-primary checks are shown failing by the next test, whose broken
     * build lies within the allowed edges.)
     */
    @Test
    void syncRepLeftOff_thenAnOutOfSyncPromotionRefusedByTheCatalog_unsyncedPairsReported_nothingLost() throws Exception {
        FtsService.Decider broken = BrokenBuilds.promotesOutOfSyncMirror(BrokenBuilds.leavesSyncRepOff(BrokenBuilds.correct()));
        DrillReport r = drill("syncrep-off", broken,
                List.of(new Fault(FaultKind.MIRROR_KILL, 0, 0), new Fault(FaultKind.PRIMARY_HANG, 0, 4500)),
                Duration.ofSeconds(25));
        assertThat(r.finalWhole()).as("pairs back in sync").isFalse();
        assertThat(r.notRecovered()).isPositive();
        assertThat(r.acksByNonPrimary()).as("acknowledgements by a demoted primary").isEmpty();
        System.out.println("split-brain windows seen by the samplers: " + r.splitBrainWindows());
        assertThat(r.lost()).isZero();
    }

    /**
     * A broken build whose every catalog write is an allowed edge: after the mirror kill and its recovery the pair
     * is written in sync while synchronous replication stays off. The primary then freezes past the hang bound and
     * FTS fails over correctly by the catalog; when the old primary wakes, nothing makes its commits wait, so it
     * acknowledges commits the new primary never sees. The drill must report acknowledgements by an instance the
     * catalog did not name primary and the commits they lost. Through the coordinator too: the content's writer is
     * blocked in an insert on the frozen primary when the catalog (and the server, in the same transaction) moves to
     * the mirror; its statement keeps its remote session, and when the old primary wakes it commits there without
     * waiting for anyone and is acknowledged, then lost (one row, seen missing through the coordinator, on the new
     * primary and on its mirror).
     */
    @Test
    void inSyncWithoutSyncRep_thenAFrozenPrimaryWakesAfterFailover_lostAndDemotedAcksReported() throws Exception {
        FtsService.Decider broken = BrokenBuilds.marksInSyncWithoutSyncRep(BrokenBuilds.correct());
        DrillReport r = drill("insync-no-syncrep", broken,
                List.of(new Fault(FaultKind.MIRROR_KILL, 0, 0), new Fault(FaultKind.PRIMARY_HANG, 0, 4500)),
                Duration.ofSeconds(60));
        assertThat(r.passed()).isFalse();
        assertThat(r.acksByNonPrimary()).as("acknowledgements by the demoted primary").isNotEmpty();
        assertThat(r.lost()).as("acknowledged commits lost").isPositive();
        assertThat(r.checks()).containsEntry("no acknowledged commit lost (final read of every primary and mirror)", false)
                .containsEntry("no acknowledgement by an instance the catalog did not name primary", false);
        assertThat(r.coordinator().lostThroughCoordinator()).as("acknowledged through the coordinator, lost").isPositive();
        assertThat(r.checks()).containsEntry("no acknowledged commit through the coordinator lost (read through the "
                + "coordinator, on every primary and mirror)", false);
        assertThat(r.servers().passed()).as("the server followed the catalog all along").isTrue();
    }
}
