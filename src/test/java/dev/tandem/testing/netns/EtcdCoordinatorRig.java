package dev.tandem.testing.netns;

import dev.tandem.catalog.CatalogStore;
import dev.tandem.catalog.Segment;
import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.FtsDaemonProcess;
import dev.tandem.cluster.MirrorMode;
import dev.tandem.coordinator.StandbyInitializer;
import dev.tandem.dcs.CoordinatorKeys;
import dev.tandem.dcs.EtcdClients;
import dev.tandem.dcs.EtcdSettings;
import dev.tandem.dcs.StandbySyncRecord;
import dev.tandem.host.Command;
import dev.tandem.host.CommandResult;
import dev.tandem.testing.etcd.EtcdMembers;
import io.etcd.jetcd.Client;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * A cluster attached to etcd on three namespace hosts, for automatic coordinator failover (docs/etcd.md): one etcd
 * member per host, the coordinator on host 1 and its standby on host 2, segments on hosts 1 to 3 (spread mirrors),
 * an FTS daemon on hosts 1 and 2 started as an operator starts one ({@code tandem fts start} over ssh, as root),
 * host 2's first so that it leads. {@link #close()} stops the daemons (their process groups, by the supervisors'
 * pids), heals every cut, stops every instance and etcd member it started; the hosts stay (the caller's).
 */
public final class EtcdCoordinatorRig implements AutoCloseable {

    public static final String PREFIX = "/tandem/coordinator-failover-it/";

    private final NetnsHosts hosts;
    private final List<Long> supervisors = new ArrayList<>();
    private EtcdMembers etcd;
    private NetnsCluster nc;
    private EtcdSettings settings;
    private Path coordDir;
    private Path standbyDir;

    private EtcdCoordinatorRig(NetnsHosts hosts) {
        this.hosts = hosts;
    }

    /** Everything up, the standby recorded in sync in etcd; on failure whatever was started is stopped. */
    public static EtcdCoordinatorRig up(NetnsHosts hosts, String name) throws Exception {
        EtcdCoordinatorRig r = new EtcdCoordinatorRig(hosts);
        try {
            r.start(name);
            return r;
        } catch (Exception | Error e) {
            r.close();
            throw e;
        }
    }

    private void start(String name) throws Exception {
        etcd = EtcdMembers.startOn(hosts.addresses(), i -> hosts.nsenter(i + 1), Duration.ofSeconds(60));
        nc = NetnsCluster.create(hosts, name, 1, MirrorMode.SPREAD, hosts.address(1));
        Cluster c = nc.cluster();
        coordDir = c.descriptor().datadir();
        standbyDir = nc.base().resolve("standby/gpseg-1");
        try (Connection conn = c.coordinatorConnection(); Statement st = conn.createStatement()) {
            st.execute("CREATE TABLE public.coordlocal (id bigint PRIMARY KEY, at timestamptz DEFAULT clock_timestamp())");
            st.execute("CREATE TABLE public.ticks (id bigint PRIMARY KEY, at timestamptz NOT NULL DEFAULT clock_timestamp())");
            st.execute("SELECT tandem.create_distributed_table('public.ticks', 'id')");
        }
        new StandbyInitializer(c, line -> System.out.println("[initstandby] " + line))
                .add(hosts.address(2), OptionalInt.empty(), Optional.of(standbyDir));
        CommandResult attached = onHost(1, Duration.ofSeconds(120), "etcd", "attach", etcd.endpoints(), "-d",
                coordDir.toString(), "--etcd-insecure", "--etcd-prefix", PREFIX, "--etcd-lease-ttl", "3");
        System.out.println("[rig] etcd attach: " + attached.stdout() + attached.stderr());
        attached.orThrow();
        settings = new EtcdSettings(Arrays.asList(etcd.endpoints().split(",")), PREFIX, null, null, null, null, null,
                true, 3, true);
        // host 2's daemon first, so that it leads (the one on the coordinator host only campaigns later, but it may
        // be up seconds before the other, and a leader keeps leading)
        startDaemon(2, standbyDir);
        awaitTrue("host 2's daemon leads", Duration.ofSeconds(120), () -> daemonLog(2).contains("FTS leader now"));
        startDaemon(1, coordDir);
        awaitTrue("the standby recorded in sync in etcd", Duration.ofSeconds(120),
                () -> standbyRecord().filter(StandbySyncRecord::inSync).isPresent());
    }

    public NetnsHosts hosts() {
        return hosts;
    }

    public NetnsCluster netnsCluster() {
        return nc;
    }

    /** The cluster as it was made: its coordinator on host 1. */
    public Cluster cluster() {
        return nc.cluster();
    }

    public EtcdSettings settings() {
        return settings;
    }

    public Path coordinatorDir() {
        return coordDir;
    }

    public Path standbyDir() {
        return standbyDir;
    }

    /** The same cluster with {@code s} as its coordinator (what a client told of the activation uses). */
    public Cluster withCoordinator(Segment s) {
        Cluster c = nc.cluster();
        return c.following(c.descriptor().withCoordinator(s.hostname(), s.address(), s.port(), s.datadir()));
    }

    public static List<Segment> read(Cluster c) throws SQLException {
        try (Connection x = c.coordinatorConnection()) {
            return CatalogStore.read(x);
        }
    }

    @FunctionalInterface
    public interface EtcdRead<T> {
        T read(CoordinatorKeys k) throws CoordinatorKeys.EtcdUnavailable;
    }

    public <T> T keys(EtcdRead<T> body) throws CoordinatorKeys.EtcdUnavailable {
        try (Client client = EtcdClients.open(settings)) {
            return body.read(new CoordinatorKeys(client, settings, CoordinatorKeys.FIRST_CALL_TIMEOUT));
        }
    }

    public Optional<StandbySyncRecord> standbyRecord() {
        if (settings == null) return Optional.empty();
        try {
            return keys(CoordinatorKeys::standby);
        } catch (CoordinatorKeys.EtcdUnavailable e) {
            return Optional.empty();
        }
    }

    /** The log of the daemon on host 1 (started in the coordinator's directory) or 2 (the standby's). */
    public String daemonLog(int i) {
        return hosts.execIn(i, List.of("cat", "/var/log/tandem/" + FtsDaemonProcess.keyOf(i == 1 ? coordDir : standbyDir)
                + ".log")).out();
    }

    /** The pids of host {@code i}'s daemon: its supervisor and what that runs (the process table is shared). */
    public List<Long> daemonPids(int i) {
        long supervisor = supervisors.get(i == 2 ? 0 : 1);
        return ProcessHandle.of(supervisor).map(p -> java.util.stream.Stream.concat(java.util.stream.Stream.of(p),
                p.descendants()).map(ProcessHandle::pid).toList()).orElse(List.of());
    }

    /** INSERTs on a coordinator-only table until one is acknowledged; seconds from {@code since} (nanoTime). */
    public static double firstLocalWrite(Cluster now, Duration within, long since) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        String last = "";
        for (long id = 1; System.nanoTime() < deadline; id++) {
            try (Connection c = now.connector().open(now.descriptor().coordinatorAddress(),
                    now.descriptor().coordinatorPort(), Duration.ofSeconds(2))) {
                c.setNetworkTimeout(Runnable::run, 3_000);
                try (Statement st = c.createStatement()) {
                    st.execute("INSERT INTO public.coordlocal (id) VALUES (" + id + ") ON CONFLICT DO NOTHING");
                    return (System.nanoTime() - since) / 1e9;
                }
            } catch (SQLException e) {
                if (!String.valueOf(e.getMessage()).equals(last)) System.out.println("[rig] write: " + e.getMessage());
                last = String.valueOf(e.getMessage());
                Thread.sleep(20);
            }
        }
        throw new AssertionError("no write acknowledged by " + now.descriptor().coordinatorAddress() + " within "
                + within + "; last: " + last);
    }

    /** {@code tandem ARGS} on host {@code i} as root over ssh, with the hosts' ssh config for its own ssh. */
    public CommandResult onHost(int i, Duration timeout, String... args) {
        return hosts.runner().run(Command.of(hosts.address(i), timeout, tandem(args))
                .withEnv(Map.of("TANDEM_SSH_CONFIG", hosts.sshConfig().toString())));
    }

    private void startDaemon(int i, Path dir) {
        onHost(i, Duration.ofSeconds(120), "fts", "start", "-d", dir.toString()).orThrow();
        String pid = hosts.execIn(i, List.of("cat", "/run/tandem/" + FtsDaemonProcess.keyOf(dir) + ".pid")).out().strip();
        supervisors.add(Long.parseLong(pid));
        System.out.println("[rig] FTS daemon on host " + i + ": supervisor pid " + pid);
    }

    /** SIGTERM to the supervisor's process group (it stops its daemon), SIGKILL after a bounded wait. */
    private static void stopGroup(long pid) {
        try {
            new ProcessBuilder("kill", "-TERM", "--", "-" + pid).inheritIO().start().waitFor();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            new ProcessBuilder("kill", "-KILL", "--", "-" + pid).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        } catch (Exception e) {
            System.out.println("[rig] stopping daemon group " + pid + ": " + e.getMessage());
        }
    }

    /** How {@code SelfCommand} launches Tandem, with this JVM's class path (its entries are visible on the hosts). */
    static List<String> tandem(String... args) {
        String java = ProcessHandle.current().info().command().orElseThrow();
        String cp = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.startsWith("/tmp/") && Files.exists(Path.of(e)))
                .collect(Collectors.joining(File.pathSeparator));
        List<String> argv = new ArrayList<>(List.of(java, "-Dtandem.log.level=INFO", "-cp", cp, "dev.tandem.cli.Main"));
        argv.addAll(List.of(args));
        return argv;
    }

    public static void awaitTrue(String what, Duration within, BooleanSupplier check) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!check.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within " + within + ": " + what);
            Thread.sleep(250);
        }
    }

    /** Prints the last {@code lines} of each daemon's log. */
    public void printLogs(int lines) {
        for (int i = 1; i <= 2 && coordDir != null; i++) {
            try {
                List<String> all = daemonLog(i).lines().toList();
                System.out.println("----- FTS daemon log, host " + i + "\n"
                        + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())));
            } catch (RuntimeException e) {
                System.out.println("[rig] no log of host " + i + ": " + e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        for (long pid : supervisors) stopGroup(pid);
        try {
            hosts.heal();
        } catch (RuntimeException e) {
            System.out.println("[rig] heal: " + e.getMessage());
        }
        if (nc != null) nc.close();
        if (etcd != null) etcd.close();
    }
}
