package dev.tandem.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressMeterTest {

    static final long MB = 1 << 20;

    @Test
    void halfway_barPercentBytesRateEta() {
        assertThat(new ProgressMeter("[content=1 dbid=5]", "full", 100 * MB, 200 * MB, 10_000).render())
                .isEqualTo("[content=1 dbid=5] full [############............]  50% 100/200 MB 10.0 MB/s ETA 10 s");
    }

    @Test
    void noTotalYet_noBarNoEta() {
        assertThat(new ProgressMeter("s", "full", 0, 0, 1000).render()).isEqualTo("s full 0/? MB");
    }

    @Test
    void done_fullBar_noEta() {
        assertThat(new ProgressMeter("s", "differential", 10 * MB, 10 * MB, 2000).render())
                .isEqualTo("s differential [########################] 100% 10/10 MB 5.0 MB/s");
    }

    @Test
    void plainLines_atMostOncePerInterval() {
        List<String> out = new ArrayList<>();
        AtomicLong now = new AtomicLong(0);
        ProgressDisplay d = ProgressDisplay.lines(out::add, 2000, now::get);
        List<ProgressMeter> m = List.of(new ProgressMeter("s", "full", MB, 2 * MB, 1000));
        d.show(m);
        now.set(1999);
        d.show(m);
        now.set(2000);
        d.show(m);
        assertThat(out).hasSize(2).allMatch(l -> l.startsWith("progress: s full"));
    }
}
