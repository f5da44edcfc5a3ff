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
 * @param databaseName a database to create on the coordinator at init (gpinitsystem's {@code DATABASE_NAME})
 * @param machines segment host name → the machine it belongs to, for host files that list several interface names
 *                 of one machine (Greenplum's {@code sdw1-1}, {@code sdw1-2}); a name not in the map is a machine of
 *                 its own. Placement counts machines, and puts no mirror on its primary's machine.
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
                          CoordinatorHook onCoordinatorChange,
                          Optional<String> databaseName,
                          Map<String, String> machines) {

    public static final String DEFAULT_SEG_PREFIX = "gpseg";
    public static final String DEFAULT_OS_USER = "postgres";
    /** Where the catalog lives; the same as ClusterDescriptor's (a spec is read before any descriptor exists). */
    public static final String CATALOG_DATABASE = "postgres";

    /** Why a name cannot be a database to create at init, if it cannot; empty when it can. */
    public static Optional<String> databaseNameProblem(String name) {
        if (name.isBlank()) return Optional.of("is blank");
        if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 63) {
            return Optional.of("is longer than 63 bytes (PostgreSQL's limit for a name)");
        }
        if (name.equals("template0") || name.equals("template1") || name.equals(CATALOG_DATABASE)) {
            return Optional.of("exists in every cluster");
        }
        if (name.chars().anyMatch(Character::isISOControl)) return Optional.of("contains a control character");
        return Optional.empty();
    }

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
        Objects.requireNonNull(databaseName, "databaseName");
        machines = Map.copyOf(machines);
    }

    /** A spec with no database to create and each segment host a machine of its own. */
    public ClusterSpec(InstanceLocation coordinator, Optional<InstanceLocation> standby, List<String> segmentHosts,
                       List<Path> primaryDataDirs, List<Path> mirrorDataDirs, int portBase, int mirrorPortBase,
                       MirrorMode mirrorMode, String segPrefix, String osUser, Map<String, String> settings,
                       List<ClientRule> clients, dev.tandem.dcs.EtcdSettings etcd, CoordinatorHook onCoordinatorChange) {
        this(coordinator, standby, segmentHosts, primaryDataDirs, mirrorDataDirs, portBase, mirrorPortBase, mirrorMode,
                segPrefix, osUser, settings, clients, etcd, onCoordinatorChange, Optional.empty(), Map.of());
    }

    /** A spec with no etcd and no coordinator-change hook (set at init by flags, or later by commands). */
    public ClusterSpec(InstanceLocation coordinator, Optional<InstanceLocation> standby, List<String> segmentHosts,
                       List<Path> primaryDataDirs, List<Path> mirrorDataDirs, int portBase, int mirrorPortBase,
                       MirrorMode mirrorMode, String segPrefix, String osUser, Map<String, String> settings,
                       List<ClientRule> clients, Optional<String> databaseName, Map<String, String> machines) {
        this(coordinator, standby, segmentHosts, primaryDataDirs, mirrorDataDirs, portBase, mirrorPortBase, mirrorMode,
                segPrefix, osUser, settings, clients, null, null, databaseName, machines);
    }

    /** A spec with none of: etcd, a coordinator-change hook, a database to create, machines of several names. */
    public ClusterSpec(InstanceLocation coordinator, Optional<InstanceLocation> standby, List<String> segmentHosts,
                       List<Path> primaryDataDirs, List<Path> mirrorDataDirs, int portBase, int mirrorPortBase,
                       MirrorMode mirrorMode, String segPrefix, String osUser, Map<String, String> settings,
                       List<ClientRule> clients) {
        this(coordinator, standby, segmentHosts, primaryDataDirs, mirrorDataDirs, portBase, mirrorPortBase, mirrorMode,
                segPrefix, osUser, settings, clients, null, null, Optional.empty(), Map.of());
    }

    /** A spec that admits no application role (the cluster role only, as before clients could be given). */
    public ClusterSpec(InstanceLocation coordinator, Optional<InstanceLocation> standby, List<String> segmentHosts,
                       List<Path> primaryDataDirs, List<Path> mirrorDataDirs, int portBase, int mirrorPortBase,
                       MirrorMode mirrorMode, String segPrefix, String osUser, Map<String, String> settings) {
        this(coordinator, standby, segmentHosts, primaryDataDirs, mirrorDataDirs, portBase, mirrorPortBase, mirrorMode,
                segPrefix, osUser, settings, List.of());
    }

    /** This spec with etcd and the coordinator-change hook as given (flags over a spec file's keys). */
    public ClusterSpec withControl(dev.tandem.dcs.EtcdSettings etcdSettings, CoordinatorHook hook) {
        return new ClusterSpec(coordinator, standby, segmentHosts, primaryDataDirs, mirrorDataDirs, portBase,
                mirrorPortBase, mirrorMode, segPrefix, osUser, settings, clients, etcdSettings, hook, databaseName, machines);
    }

    /** This spec admitting {@code more} application roles too (flags added to a spec file's). */
    public ClusterSpec withClients(List<ClientRule> more) {
        List<ClientRule> all = new java.util.ArrayList<>(clients);
        for (ClientRule r : more) if (!all.contains(r)) all.add(r);
        return new ClusterSpec(coordinator, standby, segmentHosts, primaryDataDirs, mirrorDataDirs, portBase,
                mirrorPortBase, mirrorMode, segPrefix, osUser, settings, all, etcd, onCoordinatorChange, databaseName,
                machines);
    }

    /** This spec with {@code s} as its standby coordinator and {@code more} settings (flags over a file's). */
    public ClusterSpec withStandbyAndSettings(Optional<InstanceLocation> s, Map<String, String> all) {
        return new ClusterSpec(coordinator, s, segmentHosts, primaryDataDirs, mirrorDataDirs, portBase,
                mirrorPortBase, mirrorMode, segPrefix, osUser, all, clients, etcd, onCoordinatorChange, databaseName,
                machines);
    }

    /** This spec with its segment hosts grouped by machine (see {@code machines}). */
    public ClusterSpec withMachines(Map<String, String> machineOfHost) {
        return new ClusterSpec(coordinator, standby, segmentHosts, primaryDataDirs, mirrorDataDirs, portBase,
                mirrorPortBase, mirrorMode, segPrefix, osUser, settings, clients, etcd, onCoordinatorChange, databaseName,
                machineOfHost);
    }

    /** The machine a segment host name belongs to. */
    public String machineOf(String host) {
        return machines.getOrDefault(host, host);
    }

    public int primariesPerHost() {
        return primaryDataDirs.size();
    }

    public boolean mirrored() {
        return !mirrorDataDirs.isEmpty();
    }

    public int segmentCount() {
        return segmentMachines().size() * primariesPerHost();
    }

    /** The machines of the segment hosts, in the order of their first host name. */
    public List<String> segmentMachines() {
        return segmentHosts.stream().map(this::machineOf).distinct().toList();
    }

    /** The host names (interfaces) of one machine, in the order given. */
    public List<String> interfacesOf(String machine) {
        return segmentHosts.stream().filter(h -> machineOf(h).equals(machine)).toList();
    }
}
