package dev.tandem.cluster;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * What every command needs to find and reach a cluster, kept as {@code tandem.json} in the coordinator's data
 * directory (so a standby made by copying the coordinator has it too). The password is not here: it is in
 * {@code tandem.pgpass} beside it, readable only by the cluster's OS user.
 */
public record ClusterDescriptor(String coordinatorHost, String coordinatorAddress, int coordinatorPort,
                                String coordinatorDatadir, String osUser, String superuser, String pgBin,
                                String mirrorMode, String createdAt) {

    public static final String FILE = "tandem.json";
    public static final String PASSFILE = "tandem.pgpass";
    public static final String CATALOG_DATABASE = "postgres";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public Path datadir() {
        return Path.of(coordinatorDatadir);
    }

    public Path passfile() {
        return datadir().resolve(PASSFILE);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ClusterDescriptor fromJson(String json, String where) {
        try {
            return JSON.readValue(json, ClusterDescriptor.class);
        } catch (IOException e) {
            throw new IllegalArgumentException(where + ": not a Tandem cluster descriptor: " + e.getMessage(), e);
        }
    }

    public ClusterDescriptor withCoordinator(String host, String address, int port, String datadir) {
        return new ClusterDescriptor(host, address, port, datadir, osUser, superuser, pgBin, mirrorMode, createdAt);
    }
}
