package dev.tandem.cluster;

import java.nio.file.Path;
import java.util.Objects;

/** Where one instance lives: host (name or address), port, data directory. */
public record InstanceLocation(String host, int port, Path datadir) {
    public InstanceLocation {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(datadir, "datadir");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port " + port + " out of range 1..65535");
    }
}
