package dev.tandem.fts;

import dev.tandem.catalog.SegmentPair;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says each content's decisions once: every decision that acts, with its reason; a wait only when its kind changes;
 * healthy again after anything else. gp_log_fts ({@link FtsLogLevel}) changes what is said besides the decisions
 * that act, which are always said: off drops the waits and recoveries, verbose says every decision every round.
 * Confined to the FTS loop's thread.
 */
final class DecisionLog {

    private static final Logger LOG = LoggerFactory.getLogger(FtsService.class);

    private final Map<Integer, String> lastLogged = new HashMap<>();

    void report(SegmentPair pair, Decision d) {
        report(pair, d, FtsLogLevel.TERSE);
    }

    void report(SegmentPair pair, Decision d, FtsLogLevel level) {
        String subject = pair.primary().subject();
        boolean every = level.atLeast(FtsLogLevel.VERBOSE);
        switch (d) {
            case Decision.NoChange n -> {
                boolean recovered = lastLogged.containsKey(pair.content());
                if (every || (recovered && level != FtsLogLevel.OFF)) LOG.info("{} healthy: {}", subject, n.reason());
                lastLogged.remove(pair.content());
            }
            case Decision.Wait w -> {
                String key = w.why().name();
                if (key.equals(lastLogged.get(pair.content())) && !every) return;
                lastLogged.put(pair.content(), key);
                if (w.why().isError()) LOG.error("{} {}", subject, w.reason());
                else if (level != FtsLogLevel.OFF) LOG.info("{} waiting: {}", subject, w.reason());
            }
            case Decision.DoubleFault f -> {
                lastLogged.put(pair.content(), "DOUBLE_FAULT");
                LOG.error("{} DOUBLE FAULT: {}", subject, f.reason());
            }
            default -> {
                lastLogged.put(pair.content(), d.getClass().getSimpleName());
                LOG.info("{} {}: {}", subject, d.getClass().getSimpleName(), d.reason());
            }
        }
    }

    /** Says a condition of a content once while it lasts (planned maintenance, an effect still running). */
    void once(SegmentPair pair, String key, String message) {
        if (!key.equals(lastLogged.put(pair.content(), key))) LOG.info("{} {}", pair.primary().subject(), message);
    }
}
