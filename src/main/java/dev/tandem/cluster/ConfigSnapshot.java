package dev.tandem.cluster;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.catalog.Segment;
import dev.tandem.host.HostFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The last catalog read, kept in the coordinator data directory (Greenplum's {@code gpsegconfig_dump}), so that
 * {@code tandem stop} can stop the segments even when the coordinator is already down.
 */
public final class ConfigSnapshot {

    public static final String FILE = "gpsegconfig_dump.json";
    // Segment's isUp()/isPrimary() look like bean properties to Jackson: write and read the record components only
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private ConfigSnapshot() {
    }

    public static void write(HostFiles files, ClusterDescriptor d, List<Segment> config) {
        try {
            files.write(d.coordinatorAddress(), d.datadir().resolve(FILE), JSON.writeValueAsString(config), "600");
        } catch (IOException e) {
            throw new ClusterException("cannot write " + FILE + ": " + e.getMessage(), e);
        }
    }

    public static Optional<List<Segment>> read(ClusterDescriptor d) {
        Path p = d.datadir().resolve(FILE);
        if (!Files.exists(p)) return Optional.empty();
        try {
            return Optional.of(JSON.readValue(p.toFile(), new TypeReference<List<Segment>>() { }));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
