package dev.tandem.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class HostsCheckSkewTest {

    static final long S = 1_000_000_000L;

    @Test
    void aReadingInsideTheRoundTrip_provesNoSkew_evenWhenTheRemoteShellTookSecondsToStart() {
        // ssh round trip 100.0 .. 104.0 s, of which 3.5 s were the remote rc files before date ran
        assertThat(HostsCheck.leastSkew(103.6, 100 * S, 104 * S)).isZero();
    }

    @Test
    void aRemoteClockAheadOfTheWholeRoundTrip_isAtLeastThatFarAhead() {
        assertThat(HostsCheck.leastSkew(106.5, 100 * S, 104 * S)).isCloseTo(2.5, within(1e-9));
    }

    @Test
    void aRemoteClockBehindTheWholeRoundTrip_isAtLeastThatFarBehind() {
        assertThat(HostsCheck.leastSkew(98.75, 100 * S, 104 * S)).isCloseTo(-1.25, within(1e-9));
    }

    @Test
    void aFastRoundTrip_givesTheSkewToWithinItsLength() {
        assertThat(HostsCheck.leastSkew(100.0102, 100 * S, 100 * S + 2_000_000)).isCloseTo(0.0082, within(1e-9));
    }
}
