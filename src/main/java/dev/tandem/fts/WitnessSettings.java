package dev.tandem.fts;

import java.time.Duration;

/**
 * The witness's own bounds (docs/witness.md). Not yet run-time settings of {@code tandem config}: constants with
 * their reasons.
 *
 * @param mirrorSilence  how long the mirror's flush position may stand still while WAL waits for it before its
 *                       walsender is ended and the witness takes over. 400ms: a live mirror confirms a commit in
 *                       milliseconds even on two saturated cores; the issue measured 300ms by hand
 * @param restartBase    first pause between starts of a receiver that does not stream; doubles up to restartMax
 * @param trimEvery      how often WAL the mirror has confirmed is removed from the witness's directory
 */
public record WitnessSettings(Duration mirrorSilence, Duration restartBase, Duration restartMax, Duration trimEvery) {

    public static final WitnessSettings DEFAULTS = new WitnessSettings(Duration.ofMillis(400), Duration.ofSeconds(1),
            Duration.ofSeconds(15), Duration.ofSeconds(10));

    /** Not again within this after ending a mirror's walsender: its reconnect gets a chance to show. */
    static final Duration END_AGAIN_AFTER = Duration.ofSeconds(1);

    Duration backoff(int starts) {
        long ms = restartBase.toMillis() << Math.min(starts, 10);
        return Duration.ofMillis(Math.min(ms, restartMax.toMillis()));
    }
}
