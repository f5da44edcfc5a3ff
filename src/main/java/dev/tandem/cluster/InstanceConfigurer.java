package dev.tandem.cluster;

import dev.tandem.catalog.Segment;
import dev.tandem.host.HostFiles;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes the configuration Tandem manages in each data directory: the cluster-wide block of postgresql.conf,
 * pg_hba.conf (cluster role, cluster hosts, SCRAM only), and the per-instance settings in postgresql.auto.conf
 * (port, listen address, replication source or synchronous standby).
 */
public final class InstanceConfigurer {

    /** One slot name per primary: the primary has at most one mirror, whichever instance that is. */
    public static final String SLOT = "internal_wal_replication_slot";

    /** Defaults that users may override in the spec's settings (e.g. max_slot_wal_keep_size). */
    public static final Map<String, String> DEFAULT_SETTINGS = defaults();

    private final HostFiles files;
    private final String superuser;

    public InstanceConfigurer(HostFiles files, String superuser) {
        this.files = files;
        this.superuser = superuser;
    }

    private static Map<String, String> defaults() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("unix_socket_directories", "''"); // TCP only: instances on one machine never share a socket path
        m.put("wal_level", "replica");
        m.put("max_wal_senders", "10");
        m.put("max_replication_slots", "10");
        // bounds the WAL a slot keeps for an absent mirror (a full disk is worse than a full recovery)
        m.put("max_slot_wal_keep_size", "'2GB'");
        m.put("wal_log_hints", "on");
        m.put("hot_standby", "on");
        m.put("synchronous_commit", "on");
        m.put("wal_receiver_status_interval", "'1s'");
        m.put("wal_sender_timeout", "'10s'");
        m.put("wal_receiver_timeout", "'10s'");
        // a mirror whose primary just went away waits this long before it looks at a promote request: the
        // default 5s stalls pg_promote() by up to 5s (seen in failover and switchover benchmarks)
        m.put("wal_retrieve_retry_interval", "'200ms'");
        m.put("password_encryption", "'scram-sha-256'");
        m.put("max_connections", "60");
        m.put("shared_buffers", "'32MB'");
        m.put("logging_collector", "on");
        m.put("log_directory", "'log'");
        m.put("log_filename", "'postgresql-%Y-%m-%d.log'");
        m.put("log_line_prefix", "'%m [%p] %q%u@%d '");
        return m;
    }

    /** Appends the cluster-wide block to postgresql.conf of a freshly initialised instance. */
    public void writeClusterSettings(String host, Path datadir, Map<String, String> overrides) {
        Map<String, String> all = new LinkedHashMap<>(DEFAULT_SETTINGS);
        overrides.forEach((k, v) -> all.put(k, quoteIfNeeded(v)));
        StringBuilder sb = new StringBuilder("\n# ---- Tandem: cluster-wide settings (written by tandem init) ----\n");
        all.forEach((k, v) -> sb.append(k).append(" = ").append(v).append('\n'));
        files.append(host, datadir.resolve("postgresql.conf"), sb.toString());
    }

    /** postgresql.conf accepts a quoted value for every type, so quoting always is safe. */
    static String quoteIfNeeded(String v) {
        return v.startsWith("'") ? v : "'" + v.replace("'", "''") + "'";
    }

    /** pg_hba.conf: the cluster role only, from the cluster's hosts only, with SCRAM; no trust anywhere. */
    public void writeHba(String host, Path datadir, List<String> clusterHosts) {
        files.write(host, datadir.resolve("pg_hba.conf"), hba(superuser, clusterHosts), "600");
    }

    static String hba(String user, List<String> clusterHosts) {
        StringBuilder sb = new StringBuilder("""
                # Written by Tandem: the cluster role, from the cluster's hosts, with SCRAM. No trust anywhere.
                # TYPE  DATABASE     USER   ADDRESS   METHOD
                local   all          all              scram-sha-256
                """);
        for (String line : hostLines(user, clusterHosts)) sb.append(line).append('\n');
        return sb.toString();
    }

    static List<String> hostLines(String user, List<String> hosts) {
        List<String> out = new java.util.ArrayList<>();
        for (String cidr : cidrs(hosts)) {
            out.add("host    all          " + user + "  " + cidr + "  scram-sha-256");
            out.add("host    replication  " + user + "  " + cidr + "  scram-sha-256");
        }
        return out;
    }

    /**
     * Lets the cluster role connect to {@code instance} from {@code host} (a spare host outside the cluster's list):
     * appends the missing pg_hba.conf lines. The caller reloads the instance when this returns true.
     *
     * @return whether the file changed (false when the host was already allowed)
     */
    public boolean allowHost(Segment instance, String host) {
        Path hba = Path.of(instance.datadir()).resolve("pg_hba.conf");
        List<String> have = files.read(instance.address(), hba).lines().map(String::strip).toList();
        StringBuilder add = new StringBuilder();
        for (String line : hostLines(superuser, List.of(host))) {
            if (!have.contains(line)) add.append(line).append('\n');
        }
        if (add.isEmpty()) return false;
        files.append(instance.address(), hba, "# added by tandem recoverseg for a spare host\n" + add);
        return true;
    }

    static Set<String> cidrs(List<String> hosts) {
        Set<String> out = new LinkedHashSet<>();
        for (String h : hosts) {
            try {
                for (InetAddress a : InetAddress.getAllByName(h)) {
                    out.add(a.getHostAddress() + (a instanceof Inet6Address ? "/128" : "/32"));
                }
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("host " + h + " cannot be resolved", e);
            }
        }
        return out;
    }

    public void writePassfile(String host, Path datadir, String pgpass) {
        files.write(host, datadir.resolve(ClusterDescriptor.PASSFILE), pgpass, "600");
    }

    /** Per-instance settings of a primary (or the coordinator): its own address; it streams to {@code mirror}. */
    public void configurePrimary(Segment self, Segment mirrorOrNull) {
        Map<String, String> s = base(self);
        s.put("primary_conninfo", "");
        s.put("primary_slot_name", "");
        s.put("synchronous_standby_names", mirrorOrNull == null ? "" : applicationName(mirrorOrNull));
        writeAuto(self, s);
        files.remove(self.address(), Path.of(self.datadir()).resolve("standby.signal"));
    }

    /** Per-instance settings of a mirror streaming from {@code primary} through its slot. */
    public void configureMirror(Segment self, Segment primary) {
        Map<String, String> s = base(self);
        s.put("primary_conninfo", primaryConninfo(self, primary));
        s.put("primary_slot_name", SLOT);
        s.put("synchronous_standby_names", ""); // never inherit the primary's: a promoted mirror would block
        writeAuto(self, s);
        files.touch(self.address(), Path.of(self.datadir()).resolve("standby.signal"));
    }

    public String primaryConninfo(Segment self, Segment primary) {
        return Conninfo.of().with("host", primary.address()).with("port", primary.port()).with("user", superuser)
                .with("passfile", Path.of(self.datadir()).resolve(ClusterDescriptor.PASSFILE))
                .with("application_name", applicationName(self)).with("connect_timeout", 5).toString();
    }

    /** The name under which a mirror connects, and which its primary lists as its synchronous standby. */
    public static String applicationName(Segment mirror) {
        return "dbid_" + mirror.dbid();
    }

    private Map<String, String> base(Segment self) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("port", Integer.toString(self.port()));
        s.put("listen_addresses", self.address());
        s.put("cluster_name", self.content() < 0 ? "coordinator" : "gpseg" + self.content());
        return s;
    }

    private void writeAuto(Segment self, Map<String, String> settings) {
        Path auto = Path.of(self.datadir()).resolve("postgresql.auto.conf");
        String current = files.exists(self.address(), auto) ? files.read(self.address(), auto) : "";
        files.write(self.address(), auto, AutoConf.update(current, settings), "600");
    }
}
