package dev.tandem.testing;

import java.time.Duration;

/** Generous test timeouts, scaled by -Dtandem.test.timeoutScale for slow machines. */
public final class Timeouts {
    private Timeouts() {
    }

    public static Duration of(Duration d) {
        double scale = Double.parseDouble(System.getProperty("tandem.test.timeoutScale", "1"));
        return Duration.ofMillis((long) (d.toMillis() * scale));
    }

    public static Duration seconds(long s) {
        return of(Duration.ofSeconds(s));
    }
}
