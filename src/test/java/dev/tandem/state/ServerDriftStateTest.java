package dev.tandem.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.query.ServerDrift;
import dev.tandem.query.SegmentServer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Invariant 7 in {@code tandem state}: a segment server that is not on its acting primary needs attention. */
class ServerDriftStateTest {

    static StateReport.Available withDrift(List<ServerDrift> drift) {
        StateReport.Available r = Fixtures.healthy().build();
        return new StateReport.Available(r.segments(), r.mirroringType(), r.observations(), r.catchUps(),
                r.recoveries(), drift, r.ftsDaemon());
    }

    static List<ServerDrift> content2OnItsMirror(StateReport.Available r) {
        // content 2's server still on sdw1:7000 (its mirror) while the catalog names sdw2:6000
        return ServerDrift.find(r.segments(), List.of(
                new SegmentServer(0, "tandem_seg0", Optional.of("sdw1"), Optional.of(6000)),
                new SegmentServer(1, "tandem_seg1", Optional.of("sdw1"), Optional.of(6001)),
                new SegmentServer(2, "tandem_seg2", Optional.of("sdw1"), Optional.of(7000)),
                new SegmentServer(3, "tandem_seg3", Optional.of("sdw2"), Optional.of(6001))));
    }

    @Test
    void serversOnTheActingPrimaries_allWell() {
        StateReport.Available healthy = Fixtures.healthy().build();
        assertThat(content2OnItsMirror(healthy)).hasSize(1);
        Rendered brief = StateRenderer.render(withDrift(List.of()), StateView.BRIEF, OutputFormat.TEXT, false);
        assertThat(brief.exitCode()).isZero();
    }

    @Test
    void driftedServer_isAFinding_inTheBriefSummary_theErrorsView_andJson() {
        StateReport.Available r = withDrift(content2OnItsMirror(Fixtures.healthy().build()));
        Rendered brief = StateRenderer.render(r, StateView.BRIEF, OutputFormat.TEXT, false);
        assertThat(brief.exitCode()).as("gpstate -b exits 0 whatever it shows").isEqualTo(Rendered.OK);
        assertThat(brief.text()).contains("1 foreign server(s) not on the acting primary");
        Rendered errors = StateRenderer.render(r, StateView.ERRORS, OutputFormat.TEXT, false);
        assertThat(errors.exitCode()).isEqualTo(Rendered.ATTENTION);
        assertThat(errors.text()).contains(
                "content 2: foreign server tandem_seg2 points at sdw1:7000 but the acting primary is sdw2:6000");
        Rendered json = StateRenderer.render(r, StateView.ERRORS, OutputFormat.JSON, false);
        assertThat(json.text()).contains("\"kind\" : \"server_drift\"");
    }

    @Test
    void reportWithoutServerCheck_hasNoDrift() {
        assertThat(Fixtures.healthy().build().serverDrift()).isEmpty();
    }
}
