package dev.tandem.cluster;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import dev.tandem.dcs.EtcdSettings;

/**
 * What every command needs to find and reach a cluster, kept as {@code tandem.json} in the coordinator's data
 * directory (so a standby made by copying the coordinator has it too). The password is not here: it is in
 * {@code tandem.pgpass} beside it, readable only by the cluster's OS user.
 *
 * <p>{@code dataRoots} are the directories the operator gave the cluster: at init (coordinator, standby, primary and
 * mirror directories), and later each new place named to {@code initstandby -S} or {@code recoverseg -i}/{@code -p}.
 * A data directory that the catalog names outside all of them is never removed or re-owned (the catalog is writable
 * by the database superuser; the roots are in a file only the OS user and root can write). Null in a descriptor
 * written before roots were recorded: such a cluster keeps the older checks only.
 *
 * <p>{@code etcd}: how the cluster reaches its etcd (docs/etcd.md); null for a cluster not attached to one, which
 * keeps the embedded default (one FTS daemon holding an advisory lock on the coordinator, manual activatestandby).
 *
 * <p>{@code onCoordinatorChange}: the command every activation of the standby runs (docs/standby.md); null for none.
 */
public record ClusterDescriptor(String coordinatorHost, String coordinatorAddress, int coordinatorPort,
                                String coordinatorDatadir, String osUser, String superuser, String pgBin,
                                String mirrorMode, String createdAt, List<String> dataRoots, EtcdSettings etcd,
                                CoordinatorHook onCoordinatorChange) {

    public ClusterDescriptor {
        dataRoots = dataRoots == null ? null : List.copyOf(dataRoots);
    }

    /** A descriptor with no coordinator-change hook. */
    public ClusterDescriptor(String coordinatorHost, String coordinatorAddress, int coordinatorPort,
                             String coordinatorDatadir, String osUser, String superuser, String pgBin,
                             String mirrorMode, String createdAt, List<String> dataRoots, EtcdSettings etcd) {
        this(coordinatorHost, coordinatorAddress, coordinatorPort, coordinatorDatadir, osUser, superuser, pgBin,
                mirrorMode, createdAt, dataRoots, etcd, null);
    }

    /** A descriptor of a cluster not attached to etcd. */
    public ClusterDescriptor(String coordinatorHost, String coordinatorAddress, int coordinatorPort,
                             String coordinatorDatadir, String osUser, String superuser, String pgBin,
                             String mirrorMode, String createdAt, List<String> dataRoots) {
        this(coordinatorHost, coordinatorAddress, coordinatorPort, coordinatorDatadir, osUser, superuser, pgBin,
                mirrorMode, createdAt, dataRoots, null);
    }

    /** A descriptor with no recorded roots (as written before they were recorded). */
    public ClusterDescriptor(String coordinatorHost, String coordinatorAddress, int coordinatorPort,
                             String coordinatorDatadir, String osUser, String superuser, String pgBin,
                             String mirrorMode, String createdAt) {
        this(coordinatorHost, coordinatorAddress, coordinatorPort, coordinatorDatadir, osUser, superuser, pgBin,
                mirrorMode, createdAt, null);
    }

    public static final String FILE = "tandem.json";
    public static final String PASSFILE = "tandem.pgpass";
    public static final String CATALOG_DATABASE = "postgres";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL)
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
        return new ClusterDescriptor(host, address, port, datadir, osUser, superuser, pgBin, mirrorMode, createdAt,
                dataRoots, etcd, onCoordinatorChange);
    }

    /** The same with {@code more} roots added (normalised, no duplicates); unchanged when roots are not recorded. */
    public ClusterDescriptor withRoots(java.util.Collection<String> more) {
        if (dataRoots == null) return this;
        java.util.Set<String> all = new java.util.LinkedHashSet<>(dataRoots);
        more.forEach(r -> all.add(Path.of(r).normalize().toString()));
        return new ClusterDescriptor(coordinatorHost, coordinatorAddress, coordinatorPort, coordinatorDatadir, osUser,
                superuser, pgBin, mirrorMode, createdAt, List.copyOf(all), etcd, onCoordinatorChange);
    }

    /** The same attached to etcd as {@code s} says, or detached when {@code s} is null. */
    public ClusterDescriptor withEtcd(EtcdSettings s) {
        return new ClusterDescriptor(coordinatorHost, coordinatorAddress, coordinatorPort, coordinatorDatadir, osUser,
                superuser, pgBin, mirrorMode, createdAt, dataRoots, s, onCoordinatorChange);
    }

    /** The same with this coordinator-change hook, or none when {@code h} is null. */
    public ClusterDescriptor withHook(CoordinatorHook h) {
        return new ClusterDescriptor(coordinatorHost, coordinatorAddress, coordinatorPort, coordinatorDatadir, osUser,
                superuser, pgBin, mirrorMode, createdAt, dataRoots, etcd, h);
    }
}
