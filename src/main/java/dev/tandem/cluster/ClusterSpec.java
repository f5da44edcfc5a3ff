package dev.tandem.cluster;

import java.nio.file.Path;
import dev.tandem.query.ClientRule;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code tandem init} is asked to build, whatever the source (flags, YAML spec, gpinitsystem_config).
 *
 * <p>Greenplum's layout rules: each segment host runs {@code primaryDataDirs.size()} primaries; the j-th primary on a
 * host has port {@code portBase + j} and data directory {@code primaryDataDirs[j]/<segPrefix><content>}; mirrors
 * likewise with {@code mirrorPortBase} and {@code mirrorDataDirs}. The coordinator's data directory is given
 * whole. {@code mirrorDataDirs} empty means an unmirrored cluster.
 *
 * @param settings extra postgresql.conf settings for every instance (name → value), applied at init
 * @param clients  application roles admitted to the coordinator (and, by its copy, the standby coordinator) from
 *                 client networks with SCRAM, as {@code tandem hba allow} admits them later
 * @param etcd     etcd to attach the new cluster to (docs/etcd.md), null for none; a null prefix means the default
 *                 one, which needs the cluster's descriptor
 * @param onCoordinatorChange the command every activation of the standby runs (docs/standby.md), null for none
 */
public record ClusterSpec(InstanceLocation coordinator,
                          Optional<InstanceLocation> standby,
                          List<String> segmentHosts,
                          List<Path> primaryDataDirs,
                          List<Path> mirrorDataDirs,
                          int portBase,
                          int mirrorPortBase,
                          MirrorMode mirrorMode,
                          String segPrefix,
                          String osUser,
                          Map<String, String> settings,
                          List<ClientRule> clients,
                          dev.tandem.dcs.EtcdSettings etcd,
                          CoordinatorHook onCoordinatorChange) {

    public static final String DEFAULT_SEG_PREFIX = "gpseg";
    public static final String DEFAULT_OS_USER = "postgres";

    public ClusterSpec {
        Objects.requireNonNull(coordinator, "coordinator");
        Objects.requireNonNull(standby, "standby");
        segmentHosts = List.copyOf(segmentHosts);
        primaryDataDirs = List.copyOf(primaryDataDirs);
        mirrorDataDirs = List.copyOf(mirrorDataDirs);
        Objects.requireNonNull(mirrorMode, "mirrorMode");
        Objects.requireNonNull(segPrefix, "segPrefix");
        Objects.requireNonNull(osUser, "osUser");
        settings = Map.copyOf(settings);
        clients = List.copyOf(clients);
    }

    /** A spec with no etcd and no coordinator-change hook (set at init by flags, or later by commands). */
    public ClusterSpec(InstanceLocation coordinator, Optional<InstanceLocation> standby, List<String> segmentHosts,
                       List<Path> primaryDataDirs, List<Path> mirrorDataDirs, int portBase, int mirrorPortBase,
                       MirrorMode mirrorMode, String segPrefix, String osUser, Map<String, String> settings,
                       List<ClientRule> clients) {
        this(coordinator, standby, segmentHosts, primaryDataDirs, mirrorDataDirs, portBase, mirrorPortBase, mirrorMode,
                segPrefix, osUser, settings, clients, null, null);
    }

    /** This spec with etcd and the coordinator-change hook as given (flags over a spec file's keys). */
    public ClusterSpec withControl(dev.tandem.dcs.EtcdSettings etcdSettings, CoordinatorHook hook) {
        return new ClusterSpec(coordinator, standby, segmentHosts, primaryDataDirs, mirrorDataDirs, portBase,
                mirrorPortBase, mirrorMode, segPrefix, osUser, settings, clients, etcdSettings, hook);
    }

    /** A spec that admits no application role (the cluster role only, as before clients could be given). */
    public ClusterSpec(InstanceLocation coordinator, Optional<InstanceLocation> standby, List<String> segmentHosts,
                       List<Path> primaryDataDirs, List<Path> mirrorDataDirs, int portBase, int mirrorPortBase,
                       MirrorMode mirrorMode, String segPrefix, String osUser, Map<String, String> settings) {
        this(coordinator, standby, segmentHosts, primaryDataDirs, mirrorDataDirs, portBase, mirrorPortBase, mirrorMode,
                segPrefix, osUser, settings, List.of());
    }

    /** This spec admitting {@code more} application roles too (flags added to a spec file's). */
    public ClusterSpec withClients(List<ClientRule> more) {
        List<ClientRule> all = new java.util.ArrayList<>(clients);
        for (ClientRule r : more) if (!all.contains(r)) all.add(r);
        return new ClusterSpec(coordinator, standby, segmentHosts, primaryDataDirs, mirrorDataDirs, portBase,
                mirrorPortBase, mirrorMode, segPrefix, osUser, settings, all, etcd, onCoordinatorChange);
    }

    public int primariesPerHost() {
        return primaryDataDirs.size();
    }

    public boolean mirrored() {
        return !mirrorDataDirs.isEmpty();
    }

    public int segmentCount() {
        return segmentHosts.size() * primariesPerHost();
    }
}
