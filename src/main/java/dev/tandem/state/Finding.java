package dev.tandem.state;

import dev.tandem.catalog.Segment;
import java.util.Objects;
import java.util.Optional;

/**
 * One thing that needs the operator's attention; {@code instance} is absent for a missing standby and for a partial
 * commit (a coordinator transaction, not an instance: its {@code content} is the first content it committed on).
 */
public record Finding(Kind kind, int content, Optional<Segment> instance, String message) {

    public Finding {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(message, "message");
    }

    public enum Kind {
        ROLES_SWITCHED, NOT_IN_SYNC, DOWN, UNREACHABLE, CONTENT_UNAVAILABLE, IN_RECOVERY, SERVER_DRIFT, PARTIAL_COMMIT,
        STANDBY_NOT_CONFIGURED, STANDBY_DOWN, STANDBY_NOT_STREAMING, STANDBY_LAGGING;

        public String jsonName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public boolean aboutStandby() {
            return name().startsWith("STANDBY_");
        }
    }

    static Finding of(Kind kind, Segment s, String message) {
        return new Finding(kind, s.content(), Optional.of(s), message);
    }
}
