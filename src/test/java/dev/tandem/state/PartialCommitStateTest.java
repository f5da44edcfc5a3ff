package dev.tandem.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.query.PartialCommit;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A multi-segment transaction committed on some segments only is a finding of {@code tandem state}. */
class PartialCommitStateTest {

    static StateReport.Available with(List<PartialCommit> partial) {
        StateReport.Available r = Fixtures.healthy().build();
        return new StateReport.Available(r.segments(), r.mirroringType(), r.observations(), r.catchUps(),
                r.recoveries(), List.of(), partial);
    }

    static final PartialCommit ON_0_NOT_ON_1 = new PartialCommit(899, "aborted", List.of(0), List.of(0, 1),
            Instant.parse("2026-12-03T15:44:32Z"));

    @Test
    void noPartialCommit_allWell() {
        assertThat(StateRenderer.render(with(List.of()), StateView.BRIEF, OutputFormat.TEXT, false).exitCode())
                .isZero();
    }

    @Test
    void partialCommit_isAFinding_inTheBriefSummary_theErrorsView_andJson() {
        StateReport.Available r = with(List.of(ON_0_NOT_ON_1));
        Rendered brief = StateRenderer.render(r, StateView.BRIEF, OutputFormat.TEXT, false);
        assertThat(brief.exitCode()).as("gpstate -b exits 0 whatever it shows").isEqualTo(Rendered.OK);
        assertThat(brief.text()).contains("1 transaction(s) committed on some segments only");
        Rendered errors = StateRenderer.render(r, StateView.ERRORS, OutputFormat.TEXT, false);
        assertThat(errors.text()).contains("coordinator transaction 899 committed on content(s) 0 but aborted on "
                + "the coordinator, not committed on content(s) 1; once repaired: "
                + "SELECT tandem.acknowledge_partial_commit(899)");
        Rendered json = StateRenderer.render(r, StateView.ERRORS, OutputFormat.JSON, false);
        assertThat(json.text()).contains("\"kind\" : \"partial_commit\"", "\"content\" : 0", "\"dbid\" : null");
    }
}
