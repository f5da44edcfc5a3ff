package dev.tandem.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.catalog.CatalogStore.HistoryRow;
import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.state.MirroringType;
import dev.tandem.state.StateReport;
import dev.tandem.state.StateView;
import dev.tandem.time.FakeTime;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ViewsTest {

    static StateReport report() {
        List<Segment> rows = List.of(
                new Segment(1, -1, Role.PRIMARY, Role.PRIMARY, Mode.NOT_SYNCED, Status.UP, 5432, "cdw", "127.0.0.1", "/c"),
                new Segment(2, 0, Role.PRIMARY, Role.PRIMARY, Mode.SYNCED, Status.UP, 6000, "sdw1", "127.0.0.2", "/p"),
                new Segment(3, 0, Role.MIRROR, Role.MIRROR, Mode.SYNCED, Status.UP, 7000, "sdw2", "127.0.0.3", "/m"));
        return new StateReport.Available(rows, MirroringType.GROUP, Map.of(), Map.of(), List.of());
    }

    @Test
    void cluster_isTheStateJson_catalogReadEveryQuarterSecond_instancesProbedAtMostEverySecond() {
        FakeTime time = new FakeTime();
        List<Boolean> collections = new ArrayList<>();
        List<Runnable> background = new ArrayList<>();
        ClusterView view = new ClusterView(quick -> {
            collections.add(quick);
            return report();
        }, time, background::add, () -> java.util.Optional.of(Responses.JSON.createObjectNode()
                .put("gp_fts_probe_interval", "60s")));
        var json = view.get();
        assertThat(json.get("schemaVersion").asInt()).isEqualTo(1);
        assertThat(json.get("view").asText()).isEqualTo("detail");
        assertThat(json.get("instances")).hasSize(2);
        assertThat(json.get("fts").get("settings").get("gp_fts_probe_interval").asText()).isEqualTo("60s");
        assertThat(json.get("fts").get("daemon").isNull()).as("no heartbeat in this report").isTrue();
        assertThat(view.json(StateView.BRIEF, false).has("fts")).as("the detail view only").isFalse();
        assertThat(collections).as("the first answer: the catalog, then one full collection").containsExactly(true, false);
        view.json(StateView.BRIEF, false);
        time.advance(Duration.ofMillis(249));
        view.get();
        assertThat(collections).as("both reused within a quarter second, whatever the view").hasSize(2);
        time.advance(Duration.ofMillis(1));
        view.json(StateView.BRIEF, true);
        assertThat(collections).as("the catalog read again; the probes are under a second old").containsExactly(true, false, true);
        time.advance(Duration.ofMillis(750));
        view.get();
        view.get();
        assertThat(collections).as("catalog again; the stale probes are redone off the request, once")
                .containsExactly(true, false, true, true);
        assertThat(background).hasSize(1);
        background.get(0).run();
        assertThat(collections).containsExactly(true, false, true, true, false);
        view.get();
        assertThat(background).as("fresh again: no second refresh").hasSize(1);
    }

    @Test
    void history_nextIsTheLastRowsTime_onlyWhenThePageIsFull() {
        OffsetDateTime t = OffsetDateTime.of(2026, 12, 3, 12, 0, 0, 123_456_000, ZoneOffset.UTC);
        List<HistoryRow> rows = List.of(new HistoryRow(t, 2, "FTS: promoted"), new HistoryRow(t.minusSeconds(1), 3, "init"));
        var full = HistoryView.render(rows, 2);
        long micros = t.minusSeconds(1).toInstant().getEpochSecond() * 1_000_000 + 123_456;
        assertThat(full.get("next").asLong()).isEqualTo(micros);
        assertThat(full.get("rows").get(1).get("timeMicros").asLong()).isEqualTo(micros);
        assertThat(full.get("rows").get(0).get("desc").asText()).isEqualTo("FTS: promoted");
        assertThat(HistoryView.render(rows, 3).get("next").isNull()).isTrue();
        assertThat(HistoryView.render(List.of(), 3).get("rows")).isEmpty();
    }
}
