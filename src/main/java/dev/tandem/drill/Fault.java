package dev.tandem.drill;

import java.util.Objects;

/** One fault to inject: its kind, the content it hits, and how long a hang or pause lasts (ms). */
public record Fault(FaultKind kind, int content, long holdMillis) {

    public Fault {
        Objects.requireNonNull(kind, "kind");
        if (holdMillis < 0) throw new IllegalArgumentException("holdMillis must not be negative");
    }

    @Override
    public String toString() {
        return kind.label() + " content=" + content + (holdMillis > 0 ? " hold=" + holdMillis + "ms" : "");
    }
}
