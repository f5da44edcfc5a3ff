package dev.tandem.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.CoordinatorFailoverPolicy.Decision;
import dev.tandem.coordinator.CoordinatorFailoverPolicy.Memory;
import dev.tandem.coordinator.CoordinatorFailoverPolicy.Probe;
import dev.tandem.coordinator.CoordinatorFailoverPolicy.StandbyKnowledge;
import dev.tandem.dcs.StandbySyncRecord;
import dev.tandem.fts.FtsSettings;
import dev.tandem.time.FakeTime;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class CoordinatorFailoverPolicyTest {

    static final FtsSettings S = FtsSettings.DEFAULTS; // 0.7 s x 3 probes, 2 quick re-probes after a refusal
    static final StandbySyncRecord IN_SYNC = new StandbySyncRecord(5, "h2", "10.0.0.2", 5432, "/data/standby", true,
            "2026-12-03T18:00:00Z", "standby streaming, in sync");
    static final StandbySyncRecord NOT_IN_SYNC = new StandbySyncRecord(5, "h2", "10.0.0.2", 5432, "/data/standby",
            false, "2026-12-03T18:01:00Z", "standby not connected for 2.1 s (grace 2.0 s)");
    static final Probe REFUSED = new Probe.Refused("connection refused");
    static final Probe TIMEOUT = new Probe.Timeout(Duration.ofMillis(700), "timed out after 0.7 s");

    final FakeTime time = new FakeTime();
    Memory memory = Memory.FRESH;

    Decision round(Probe p, StandbyKnowledge k) {
        Decision d = CoordinatorFailoverPolicy.decide(p, memory, k, OptionalInt.of(5), time.nanoTime(), S);
        memory = d.memory();
        return d;
    }

    @Test
    void coordinatorAnswers_healthy_andForgetsAnEarlierFailure() {
        round(REFUSED, StandbyKnowledge.of(Optional.of(IN_SYNC)));
        Decision d = round(new Probe.Answered(), StandbyKnowledge.of(Optional.of(IN_SYNC)));
        assertThat(d).isInstanceOf(Decision.Healthy.class);
        assertThat(d.memory()).isEqualTo(Memory.FRESH);
    }

    @Test
    void coordinatorCrashed_standbyInSync_activatedAfterTheQuickReprobes() {
        StandbyKnowledge k = StandbyKnowledge.of(Optional.of(IN_SYNC));
        assertThat(round(REFUSED, k)).isInstanceOf(Decision.Suspect.class)
                .extracting(x -> ((Decision.Suspect) x).reprobeIn()).isEqualTo(S.crashConfirmInterval());
        time.advance(S.crashConfirmInterval());
        assertThat(round(REFUSED, k)).isInstanceOf(Decision.Suspect.class);
        time.advance(S.crashConfirmInterval());
        Decision d = round(REFUSED, k);
        assertThat(d).isInstanceOf(Decision.Activate.class);
        assertThat(((Decision.Activate) d).standby()).isEqualTo(IN_SYNC);
        assertThat(d.reason()).contains("crash confirmed").contains("dbid 5");
    }

    @Test
    void coordinatorHostCut_activatedOnlyAfterTheHangBound() {
        StandbyKnowledge k = StandbyKnowledge.of(Optional.of(IN_SYNC));
        time.advance(Duration.ofMillis(700));
        assertThat(round(TIMEOUT, k)).isInstanceOf(Decision.Suspect.class);
        time.advance(Duration.ofMillis(700));
        assertThat(round(TIMEOUT, k)).isInstanceOf(Decision.Suspect.class);
        time.advance(Duration.ofMillis(699));
        assertThat(round(TIMEOUT, k)).as("3 probes but 2.099 s < 2.1 s").isInstanceOf(Decision.Suspect.class);
        time.advance(Duration.ofMillis(1));
        Decision d = round(TIMEOUT, k);
        assertThat(d).isInstanceOf(Decision.Activate.class);
        assertThat(d.reason()).contains("4 probes in a row over 2.1 s");
    }

    @Test
    void coordinatorCrashed_standbyRecordedNotInSync_refused() {
        Decision d = crashConfirmed(StandbyKnowledge.of(Optional.of(NOT_IN_SYNC)));
        assertThat(d).isInstanceOf(Decision.Refuse.class);
        assertThat(d.reason()).contains("NOT in sync").contains("not connected for 2.1 s");
    }

    @Test
    void coordinatorCrashed_noStandbyRecordInEtcd_refused() {
        Decision d = crashConfirmed(StandbyKnowledge.of(Optional.empty()));
        assertThat(d).isInstanceOf(Decision.Refuse.class);
        assertThat(d.reason()).contains("no record of a standby coordinator in sync");
    }

    @Test
    void coordinatorCrashed_etcdSilent_refused() {
        Decision d = crashConfirmed(StandbyKnowledge.unavailable("no answer within 2 s"));
        assertThat(d).isInstanceOf(Decision.Refuse.class);
        assertThat(d.reason()).contains("cannot be read from etcd");
    }

    @Test
    void coordinatorCrashed_inSyncRecordForAnotherStandby_refused() {
        StandbySyncRecord other = new StandbySyncRecord(9, "h3", "10.0.0.3", 5432, "/data/s2", true, "t", "old");
        Decision d = crashConfirmed(StandbyKnowledge.of(Optional.of(other)));
        assertThat(d).isInstanceOf(Decision.Refuse.class);
        assertThat(d.reason()).contains("dbid 9").contains("standby is dbid 5");
    }

    @Test
    void failedCoordinator_keepsItsStreakWhileRefused_soTheNextRoundActsOnceTheRecordSaysInSync() {
        Decision refused = crashConfirmed(StandbyKnowledge.unavailable("no quorum"));
        assertThat(refused).isInstanceOf(Decision.Refuse.class);
        time.advance(Duration.ofMillis(500));
        assertThat(round(REFUSED, StandbyKnowledge.of(Optional.of(IN_SYNC)))).isInstanceOf(Decision.Activate.class);
    }

    @Test
    void refusalThenTimeouts_judgedOnTheHangBoundFromTheFirstFailure() {
        StandbyKnowledge k = StandbyKnowledge.of(Optional.of(IN_SYNC));
        round(REFUSED, k);
        time.advance(Duration.ofMillis(700));
        assertThat(round(TIMEOUT, k)).isInstanceOf(Decision.Suspect.class);
        time.advance(Duration.ofMillis(1400));
        assertThat(round(TIMEOUT, k)).isInstanceOf(Decision.Activate.class);
    }

    private Decision crashConfirmed(StandbyKnowledge k) {
        Decision d = null;
        for (int i = 0; i < S.refusalsToConfirmCrash(); i++) {
            d = round(REFUSED, k);
            time.advance(S.crashConfirmInterval());
        }
        return d;
    }
}
