package dev.tandem.catalog;

import static dev.tandem.catalog.InvariantsTest.seg;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CatalogChangeTest {

    @Test
    void failover_historyInGreenplumsWords_thenWhatChanged_thenTandemsReason() {
        Segment before = seg(3, 1, 'm', 'm', 's', 'u', "h2");
        Segment after = seg(3, 1, 'p', 'm', 'n', 'u', "h2");
        assertThat(CatalogChange.history(before, after, "FTS: primary dbid 2 refused connections"))
                .isEqualTo("FTS: update role, status, and mode for dbid 3 with contentid 1 to p, u, and n; "
                        + "role m->p mode s->n: FTS: primary dbid 2 refused connections");
    }

    @Test
    void mirrorMarkedDown_statusAndModeInTheSentence() {
        Segment before = seg(5, 0, 'm', 'm', 's', 'u', "h2");
        Segment after = seg(5, 0, 'm', 'm', 'n', 'd', "h2");
        assertThat(CatalogChange.history(before, after, "FTS: not streaming"))
                .startsWith("FTS: update role, status, and mode for dbid 5 with contentid 0 to m, d, and n; "
                        + "status u->d mode s->n: ");
    }

    @Test
    void placeOnlyChange_carriesTheReasonAlone() {
        Segment before = seg(5, 0, 'm', 'm', 'n', 'd', "h2");
        Segment after = before.withPlace("h3", "h3", 7000, "/e/gpseg0");
        assertThat(CatalogChange.history(before, after, "recoverseg: moved")).isEqualTo("recoverseg: moved");
    }

    @Test
    void addedRow_saysAdded() {
        assertThat(CatalogChange.history(null, seg(2, 0, 'p', 'p', 's', 'u', "h1"), "init")).isEqualTo("added: init");
    }
}
