package dev.tandem.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LsnTest {

    @Test
    void parsesAndPrintsPostgresFormat() {
        Lsn lsn = Lsn.parse("16/B374D848");
        assertThat(lsn.value()).isEqualTo(0x16_B374D848L);
        assertThat(lsn).hasToString("16/B374D848");
        assertThat(Lsn.parse("0/0")).isEqualTo(Lsn.ZERO);
    }

    @Test
    void ordersUnsignedAndMeasuresBytes() {
        Lsn low = Lsn.parse("0/FFFFFFFF");
        Lsn high = Lsn.parse("1/0");
        assertThat(high.isAtLeast(low)).isTrue();
        assertThat(high.bytesAfter(low)).isEqualTo(1);
        assertThat(low.bytesAfter(high)).isZero();
        assertThat(Lsn.parse("FFFFFFFF/0")).isGreaterThan(high);
    }

    @Test
    void rejectsGarbage() {
        assertThatThrownBy(() -> Lsn.parse("16B374D848")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Lsn.parse("0/xyz")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Lsn.parse("100000000/0")).isInstanceOf(IllegalArgumentException.class);
    }
}
