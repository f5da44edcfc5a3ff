package dev.tandem.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class StateRendererTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Rendered text(StateReport r, StateView v) {
        return StateRenderer.render(r, v, OutputFormat.TEXT, false);
    }

    private static JsonNode json(StateReport r, StateView v) throws Exception {
        return JSON.readTree(StateRenderer.render(r, v, OutputFormat.JSON, false).text());
    }

    /**
     * Exit code of each view (b s e m c p f Q pipe) per scenario: the documented contract. -b is a summary and
     * exits 0 (as gpstate -b); -Q exits 1 when the catalog marks an instance down (as gpstate -Q).
     */
    @Test
    void exitCodes_perScenarioAndView() {
        Map<String, String> expected = Map.ofEntries(
                Map.entry("all-well", "000000000"),
                Map.entry("mirror-down", "011100010"),
                Map.entry("failed-over", "011100010"),
                Map.entry("double-fault", "011100010"),
                Map.entry("catching-up", "011000000"),
                Map.entry("hung-primary", "011000000"),
                Map.entry("in-recovery", "011100010"),
                Map.entry("coordinator-down", "333333333"),
                Map.entry("no-standby", "000000100"),
                Map.entry("standby-lagging", "010000100"),
                Map.entry("quick-mode", "000000000"),
                // a witness down is shown, not an error: the pair goes on as it did before witnesses
                Map.entry("witnesses", "000000000"));
        Fixtures.scenarios().forEach((name, report) -> {
            StringBuilder codes = new StringBuilder();
            for (StateView v : StateView.values()) {
                int text = text(report, v).exitCode();
                int json = StateRenderer.render(report, v, OutputFormat.JSON, false).exitCode();
                assertThat(json).as("%s %s", name, v).isEqualTo(text);
                codes.append(text);
            }
            assertThat(codes.toString()).as(name).isEqualTo(expected.get(name));
        });
    }

    /**
     * -s and -f exit 1 exactly when they print a warning; -b, -c and -p are listings that exit 0 whatever they
     * mark; -e, -m and -Q print their rows at INFO as gpstate does, so an exit 1 there comes with rows, not marks.
     */
    @Test
    void detailAndStandby_exitOneExactlyWhenTheyPrintAWarning_listingsExitZero() {
        Fixtures.scenarios().forEach((name, report) -> {
            if (report instanceof StateReport.CoordinatorDown) return;
            for (StateView v : java.util.List.of(StateView.DETAIL, StateView.STANDBY)) {
                Rendered r = text(report, v);
                assertThat(r.text().contains("[WARNING]")).as("%s %s", name, v)
                        .isEqualTo(r.exitCode() == Rendered.ATTENTION);
            }
            for (StateView v : java.util.List.of(StateView.BRIEF, StateView.CONFIG, StateView.PORTS, StateView.PIPE)) {
                assertThat(text(report, v).exitCode()).as("%s %s", name, v).isZero();
            }
        });
    }

    @Test
    void briefWithFailures_exitsZero_asGpstate_butStillPrintsTheWarning() {
        Rendered r = text(Fixtures.mirrorDown().build(), StateView.BRIEF);
        assertThat(r.exitCode()).isZero();
        assertThat(r.text()).contains("[WARNING]");
        assertThat(text(Fixtures.mirrorDown().build(), StateView.ERRORS).exitCode()).isEqualTo(1);
    }

    @Test
    void colour_onlyWhenTerminal_andOnlyOnWarningLines() {
        StateReport r = Fixtures.mirrorDown().build();
        assertThat(text(r, StateView.DETAIL).text()).doesNotContain("\u001B[");
        String coloured = StateRenderer.render(r, StateView.DETAIL, OutputFormat.TEXT, true).text();
        assertThat(coloured.lines().filter(l -> l.contains("\u001B[")))
                .isNotEmpty().allMatch(l -> l.startsWith("\u001B[33m[WARNING]") && l.endsWith("\u001B[0m"));
        assertThat(StateRenderer.render(r, StateView.ERRORS, OutputFormat.JSON, true).text())
                .isEqualTo(StateRenderer.render(r, StateView.ERRORS, OutputFormat.JSON, false).text());
    }

    @Test
    void coordinatorDown_printsReasonAndHowToRecover_exit3() throws Exception {
        Rendered r = text(Fixtures.coordinatorDown(), StateView.BRIEF);
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.text()).isEqualTo("""
                [ERROR]:-The coordinator at cdw:5432 is down (connection refused)
                [INFO]:-Start it with `tandem start`, or if its host is lost, activate the standby: \
                `tandem activatestandby -d /data/coordinator/gpseg-1`
                """);
        JsonNode j = json(Fixtures.coordinatorDown(), StateView.ERRORS);
        assertThat(j.get("exitCode").asInt()).isEqualTo(3);
        assertThat(j.at("/problems/0/kind").asText()).isEqualTo("coordinator_down");
        assertThat(j.at("/coordinatorDown/reason").asText()).isEqualTo("connection refused");
        assertThat(j.at("/coordinatorDown/hint").asText()).contains("tandem activatestandby -d /data/coordinator/gpseg-1");
    }

    @Test
    void catchingUpMirror_json_carriesBytesBehindRateAndEstimate() throws Exception {
        JsonNode j = json(Fixtures.catchingUp().build(), StateView.ERRORS);
        JsonNode pair = j.at("/unsynchronized/0");
        assertThat(pair.get("content").asInt()).isEqualTo(3);
        assertThat(pair.get("walSyncRemainingBytes").asLong()).isEqualTo(96L << 20);
        assertThat(pair.at("/catchUp/bytesBehind").asLong()).isEqualTo(96L << 20);
        assertThat(pair.at("/catchUp/rateBytesPerSecond").asLong()).isEqualTo(8L << 20);
        assertThat(pair.at("/catchUp/estimatedSeconds").asDouble()).isEqualTo(12.0);
        assertThat(j.get("down")).isEmpty();
    }

    @Test
    void failedOverPair_brief_json_countsSwitchedAndDown() throws Exception {
        JsonNode j = json(Fixtures.failedOver().build(), StateView.BRIEF);
        assertThat(j.at("/mirrors/actingAsPrimary").asInt()).isEqualTo(1);
        assertThat(j.at("/mirrors/down").asInt()).isEqualTo(1);
        assertThat(j.at("/pairs/rolesSwitched").asInt()).isEqualTo(1);
        assertThat(j.at("/pairs/notInSync").asInt()).isEqualTo(1);
        assertThat(j.get("problems")).extracting(p -> p.get("kind").asText())
                .containsExactly("roles_switched", "not_in_sync", "down");
    }

    @Test
    void failedOverPair_mirrors_showsActingAsPrimary() throws Exception {
        JsonNode j = json(Fixtures.failedOver().build(), StateView.MIRRORS);
        assertThat(j.get("mirroringType").asText()).isEqualTo("group");
        assertThat(j.at("/mirrors/0/status").asText()).isEqualTo("acting_as_primary");
        assertThat(j.at("/mirrors/0/dbid").asInt()).isEqualTo(6);
    }

    @Test
    void hungPrimary_isReportedUnreachableWithTheProbeReason() throws Exception {
        JsonNode j = json(Fixtures.hungPrimary().build(), StateView.ERRORS);
        assertThat(j.at("/down/0/status").asText()).isEqualTo("unreachable");
        assertThat(j.at("/down/0/reason").asText()).isEqualTo("timed out after 2 s");
        assertThat(text(Fixtures.hungPrimary().build(), StateView.ERRORS).text())
                .contains("Up              Unreachable: timed out after 2 s");
    }

    @Test
    void doubleFault_namesTheUnavailableContent() throws Exception {
        JsonNode j = json(Fixtures.doubleFault().build(), StateView.ERRORS);
        assertThat(j.get("unavailableContents")).extracting(JsonNode::asInt).containsExactly(2);
    }

    @Test
    void segmentInRecovery_showsTypeAndProgress() throws Exception {
        JsonNode j = json(Fixtures.inRecovery().build(), StateView.ERRORS);
        assertThat(j.at("/inRecovery/0/type").asText()).isEqualTo("full");
        assertThat(j.at("/inRecovery/0/percent").asInt()).isEqualTo(40);
        assertThat(j.at("/inRecovery/0/totalBytes").asLong()).isEqualTo(1000L << 20);
    }

    @Test
    void standby_missingOrLagging_isAWarningOfTheStandbyView() throws Exception {
        JsonNode none = json(Fixtures.healthy().without(10).build(), StateView.STANDBY);
        assertThat(none.get("standby").isNull()).isTrue();
        assertThat(none.at("/problems/0/kind").asText()).isEqualTo("standby_not_configured");
        JsonNode lag = json(Fixtures.standbyLagging().build(), StateView.STANDBY);
        assertThat(lag.at("/standby/replication/bytesBehind").asLong()).isEqualTo(48L << 20);
        assertThat(lag.at("/problems/0/kind").asText()).isEqualTo("standby_lagging");
    }

    @Test
    void quickMode_saysNothingWasProbed() throws Exception {
        JsonNode j = json(Fixtures.healthy().quick().build(), StateView.BRIEF);
        assertThat(j.get("probed").asBoolean()).isFalse();
        assertThat(j.at("/primaries/unreachable").isNull()).isTrue();
        assertThat(j.at("/standby/state").asText()).isEqualTo("Configured (not checked)");
    }

    @Test
    void everyJson_hasTheEnvelope() {
        Fixtures.scenarios().forEach((name, report) -> {
            for (StateView v : StateView.values()) {
                JsonNode j;
                try {
                    j = json(report, v);
                } catch (Exception e) {
                    throw new AssertionError(name + " " + v, e);
                }
                assertThat(j.get("schemaVersion").asInt()).isEqualTo(1);
                assertThat(j.get("view").asText()).isEqualTo(v.jsonName());
                assertThat(j.get("problems").isArray()).isTrue();
                assertThat(j.get("exitCode").asInt()).isEqualTo(text(report, v).exitCode());
            }
        });
    }
}
