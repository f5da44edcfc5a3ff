package dev.tandem.rebalance;

import dev.tandem.catalog.Lsn;
import java.util.Optional;

/** The two lines of {@code pg_controldata} a switchover needs. Pure parsing, tested without PostgreSQL. */
public record ControlData(String state, Lsn latestCheckpoint) {

    public static ControlData parse(String output) {
        String state = null;
        Lsn checkpoint = null;
        for (String line : output.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            if (key.equals("Database cluster state")) state = value;
            if (key.equals("Latest checkpoint location")) checkpoint = Lsn.parse(value);
        }
        if (state == null || checkpoint == null) {
            throw new IllegalArgumentException("pg_controldata output without cluster state or latest checkpoint:\n" + output);
        }
        return new ControlData(state, checkpoint);
    }

    /** A clean shutdown: its last WAL record is the shutdown checkpoint. */
    public boolean cleanlyShutDown() {
        return state.equals("shut down");
    }

    public Optional<Lsn> checkpointIfClean() {
        return cleanlyShutDown() ? Optional.of(latestCheckpoint) : Optional.empty();
    }
}
