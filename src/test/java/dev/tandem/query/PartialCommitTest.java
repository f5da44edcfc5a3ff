package dev.tandem.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PartialCommitTest {

    static final Instant AT = Instant.parse("2026-12-03T15:44:32Z");

    @Test
    void abortedOnTheCoordinator_namesWhereItCommittedAndWhereNot() {
        PartialCommit p = new PartialCommit(7, "aborted", List.of(0, 2), List.of(0, 1, 2, 3), AT);
        assertThat(p.notCommittedOn()).containsExactly(1, 3);
        assertThat(p.message()).isEqualTo("coordinator transaction 7 committed on content(s) 0, 2 but aborted on the "
                + "coordinator, not committed on content(s) 1, 3; once repaired: "
                + "SELECT tandem.acknowledge_partial_commit(7)");
    }

    @Test
    void committedEverywhereItWrote_butAbortedOnTheCoordinator_claimsNoMissingSegment() {
        // e.g. the coordinator crashed after every segment's COMMIT and before its own
        PartialCommit p = new PartialCommit(8, "aborted", List.of(0, 1), List.of(0, 1), AT);
        assertThat(p.notCommittedOn()).isEmpty();
        assertThat(p.message()).startsWith("coordinator transaction 8 committed on content(s) 0, 1 but aborted on "
                + "the coordinator; once repaired");
    }

    @Test
    void anotherCoordinatorsMark_saysItCannotTell() {
        PartialCommit p = new PartialCommit(9, "unknown", List.of(1), List.of(1, 2), AT);
        assertThat(p.message()).contains("of another coordinator", "cannot tell whether it committed");
    }
}
