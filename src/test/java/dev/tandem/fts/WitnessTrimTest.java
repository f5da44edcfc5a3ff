package dev.tandem.fts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.catalog.Lsn;
import java.util.List;
import org.junit.jupiter.api.Test;

class WitnessTrimTest {

    @Test
    void segmentsEndingBeforeTheMirrorsFlushGo_theOneHoldingItAndLaterOnesStay() {
        List<String> names = List.of("000000010000000000000001", "000000010000000000000002",
                "000000010000000000000003", "000000010000000000000004.partial", "00000002.history",
                "000000020000000000000003", "receivewal.pid", "receivewal.log", ".pgpass");
        assertThat(WitnessTrim.removable(names, Lsn.parse("0/3000060"), WitnessTrim.SEGMENT_BYTES))
                .containsExactly("000000010000000000000001", "000000010000000000000002");
    }

    @Test
    void acrossTheFourGigabyteBoundary_theLogNumberCounts() {
        List<String> names = List.of("0000000100000000000000FF", "000000010000000100000000", "000000010000000100000001");
        assertThat(WitnessTrim.removable(names, Lsn.parse("1/1000000"), WitnessTrim.SEGMENT_BYTES))
                .containsExactly("0000000100000000000000FF", "000000010000000100000000");
    }

    @Test
    void nothingConfirmedYet_nothingGoes() {
        assertThat(WitnessTrim.removable(List.of("000000010000000000000001"), Lsn.ZERO, WitnessTrim.SEGMENT_BYTES)).isEmpty();
    }
}
