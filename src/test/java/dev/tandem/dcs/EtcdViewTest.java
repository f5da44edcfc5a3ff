package dev.tandem.dcs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class EtcdViewTest {

    @Test
    void daemonsLine_marksTheLeader_andSaysWhenNothingIsKnown() {
        var d1 = new LeaderRecord("d1", 11, "t");
        var d2 = new LeaderRecord("d2", 22, "t");
        var r = new EtcdView.Report(List.of(), Optional.of(new EtcdView.Leader("d2 pid 22", 7)), Optional.empty(),
                List.of(d1, d2));
        assertThat(r.daemonsLine()).isEqualTo("d1 pid 11 (follower), d2 pid 22 (leader)");
        assertThat(new EtcdView.Report(List.of(), Optional.empty(), Optional.empty()).daemonsLine())
                .isEqualTo("none registered");
        assertThat(new EtcdView.Report(List.of(), Optional.empty(), Optional.of("no quorum"), List.of(d1)).daemonsLine())
                .isEqualTo("unknown (etcd unavailable)");
    }

    @Test
    void summary_keepsEtcdsOwnWordsFromTheCauses_eachOnce() {
        var e = new ExecutionException(new RuntimeException("UNAUTHENTICATED",
                new RuntimeException("INVALID_ARGUMENT: etcdserver: authentication failed",
                        new RuntimeException("etcdserver: authentication failed"))));
        assertThat(LeaderElection.summary(e)).isEqualTo("UNAUTHENTICATED: INVALID_ARGUMENT: etcdserver: authentication failed");
        assertThat(LeaderElection.summary(new java.util.concurrent.TimeoutException())).isEqualTo("TimeoutException");
    }
}
