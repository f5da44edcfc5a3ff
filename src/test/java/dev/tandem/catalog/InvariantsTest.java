package dev.tandem.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class InvariantsTest {

    static Segment seg(int dbid, int content, char role, char pref, char mode, char status, String host) {
        return new Segment(dbid, content, Role.of(role), Role.of(pref), Mode.of(mode), Status.of(status),
                6000 + dbid, host, host, "/data/" + dbid);
    }

    static final Segment COORD = seg(1, -1, 'p', 'p', 'n', 'u', "h1");

    @Test
    void healthyPairs_pass() {
        assertThat(Invariants.violations(List.of(COORD,
                seg(2, 0, 'p', 'p', 's', 'u', "h1"), seg(3, 0, 'm', 'm', 's', 'u', "h2")))).isEmpty();
    }

    @Test
    void failedOverPair_withOldPrimaryDown_passes() {
        assertThat(Invariants.violations(List.of(COORD,
                seg(2, 0, 'm', 'p', 'n', 'd', "h1"), seg(3, 0, 'p', 'm', 'n', 'u', "h2")))).isEmpty();
    }

    @Test
    void twoPrimariesForOneContent_refused() {
        assertThat(Invariants.violations(List.of(COORD,
                seg(2, 0, 'p', 'p', 's', 'u', "h1"), seg(3, 0, 'p', 'm', 's', 'u', "h2"))))
                .singleElement().asString().contains("content 0 has 2 primaries");
    }

    @Test
    void primaryMarkedDown_refused() {
        assertThat(Invariants.violations(List.of(COORD,
                seg(2, 0, 'p', 'p', 'n', 'd', "h1"), seg(3, 0, 'm', 'm', 'n', 'u', "h2"))))
                .singleElement().asString().contains("pair state d,n / u,n");
    }

    @Test
    void mirrorDownButModeSynced_refused() {
        assertThat(Invariants.violations(List.of(COORD,
                seg(2, 0, 'p', 'p', 's', 'u', "h1"), seg(3, 0, 'm', 'm', 's', 'd', "h2")))).hasSize(1);
    }

    @Test
    void primaryAndMirrorOnOneHost_refused() {
        assertThatThrownBy(() -> Invariants.check(List.of(COORD,
                seg(2, 0, 'p', 'p', 's', 'u', "h1"), seg(3, 0, 'm', 'm', 's', 'u', "h1"))))
                .isInstanceOf(InvariantViolation.class).hasMessageContaining("both on host h1");
    }

    @Test
    void duplicateDbid_refused() {
        assertThat(Invariants.violations(List.of(COORD, seg(1, 0, 'p', 'p', 'n', 'u', "h1"))))
                .anyMatch(v -> v.contains("dbid 1 appears twice"));
    }
}
