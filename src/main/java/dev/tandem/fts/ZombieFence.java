package dev.tandem.fts;

import dev.tandem.catalog.Segment;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops an instance that the catalog marks down but that answers as a writable primary: a demoted primary that
 * woke up (SIGCONT, a healed partition). Its commits wait for a synchronous standby that will never come, but
 * PostgreSQL acknowledges a commit whose wait is cancelled (statement_timeout, pg_cancel_backend) with only a
 * WARNING; stopping it closes that door. Recovery restarts it as a mirror (in recovery), which is never fenced.
 */
final class ZombieFence {

    private static final Logger LOG = LoggerFactory.getLogger(ZombieFence.class);

    private ZombieFence() {
    }

    /** Pure: fence when the catalog says down and the instance says it is not in recovery. */
    static boolean shouldFence(Segment s, MirrorObservation seen) {
        return s.content() >= 0 && !s.isUp() && seen instanceof MirrorObservation.NotInRecovery;
    }

    /** @param stop stops the instance at once, within a bound (FTS's {@code pg_ctl stop -m immediate}, then SIGKILL) */
    static void fence(Segment s, Consumer<Segment> stop) {
        Optional<RuntimeException> failure = Optional.empty();
        try {
            stop.accept(s);
            LOG.info("{} fenced: marked down in the catalog but running as a writable primary at {}; stopped "
                    + "(immediate) so it cannot acknowledge commits", s.subject(), s.location());
        } catch (RuntimeException e) {
            failure = Optional.of(e);
        }
        failure.ifPresent(e -> LOG.error("{} is marked down but runs as a writable primary at {} and could not be "
                + "stopped: {}. Stop it by hand.", s.subject(), s.location(), e.getMessage()));
    }
}
