package dev.tandem.fts;

import java.util.OptionalLong;

/**
 * Watches the FTS loop without taking part in it (the HTTP endpoint's metrics). Calls must return quickly and must
 * not block: {@link #roundFinished} runs on the FTS loop's thread, {@link #applied} on an effect thread. A listener
 * that throws is logged and otherwise ignored; it never stops a round or an effect.
 */
public interface RoundListener {

    RoundListener NONE = new RoundListener() {
    };

    /** After every finished round, on the FTS loop's thread. */
    default void roundFinished(RoundReport round) {
    }

    /**
     * When the effects of a decision that writes the catalog (or a history row) have all run without error, on the
     * effect's thread.
     *
     * @param faultSinceNanos when the fault this decision answers began on the FTS clock (first failed probe of
     *                        the primary, or since when the mirror was detached), when there was one
     * @param nowNanos        the FTS clock when the catalog change committed
     */
    default void applied(int content, Decision decision, ProbeResult seen, OptionalLong faultSinceNanos,
                         long nowNanos) {
    }
}
