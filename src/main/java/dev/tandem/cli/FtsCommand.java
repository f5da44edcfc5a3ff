package dev.tandem.cli;

import dev.tandem.exit.ExitCode;
import ch.qos.logback.classic.Level;
import dev.tandem.catalog.TransitionTable;
import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.CoordinatorFromEtcd;
import dev.tandem.coordinator.AutoActivation;
import dev.tandem.cluster.FtsDaemonProcess;
import dev.tandem.daemon.EtcdLeadership;
import dev.tandem.daemon.FtsDaemon;
import dev.tandem.daemon.FtsSupervisor;
import dev.tandem.fts.FtsPolicy;
import dev.tandem.fts.FtsService;
import dev.tandem.fts.Leadership;
import dev.tandem.time.Time;
import dev.tandem.web.EndpointConfig;
import dev.tandem.web.FtsMetrics;
import dev.tandem.web.WebEndpoint;
import dev.tandem.web.page.StatusPage;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "fts", mixinStandardHelpOptions = true,
        description = "The fault-tolerance service: probes every segment, fails over, marks mirrors down.",
        subcommands = {FtsCommand.Run.class, FtsCommand.Start.class, FtsCommand.Stop.class, FtsCommand.Status.class,
                FtsCommand.Probe.class, FtsCommand.Transitions.class})
final class FtsCommand {

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run the FTS daemon in the foreground (for systemd: deploy/tandem-fts.service). "
                    + "Exits 0 when stopped (SIGTERM), non-zero when it ended by itself.")
    static final class Run implements Callable<Integer> {
        @Mixin
        ClusterOptions cluster;

        @Option(names = "--parent", paramLabel = "PID", hidden = true,
                description = "The supervising process: stop when it is gone.")
        Long parent;

        @Option(names = "--host", paramLabel = "NAME",
                description = "This daemon's host as the cluster names hosts (default: the local host name); with etcd, "
                        + "a daemon on the coordinator's host campaigns later (docs/etcd.md).")
        String host;

        @Mixin
        HttpOptions http;

        /**
         * The daemon and its HTTP endpoint are composed here, at the top: web (rank 6) reads fts and state, daemon
         * (rank 6) runs the loops, and neither needs the other. The endpoint is an onlooker: a port already taken is
         * logged and FTS runs without it (an FTS that stopped probing is the worst failure); a configuration that
         * must not listen (off loopback without TLS and a token) stops the command before anything starts.
         */
        @Override
        public Integer call() throws Exception {
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("dev.tandem")).setLevel(Level.INFO);
            Optional<EndpointConfig> endpoint = http.config();
            endpoint.ifPresent(FtsCommand::refuseUnsafe);
            // with etcd, the coordinator etcd publishes (an activated standby), whatever tandem.json here says
            Cluster c = CoordinatorFromEtcd.follow(cluster.open());
            String me = host != null ? host : InetAddress.getLocalHost().getHostName();
            java.util.OptionalLong supervisor = parent == null ? java.util.OptionalLong.empty()
                    : java.util.OptionalLong.of(parent);
            FtsMetrics metrics = WebEndpoint.metrics(c, Time.SYSTEM);
            Optional<WebEndpoint> web = endpoint.flatMap(e -> startEndpoint(e, c, metrics));
            web.ifPresent(w -> w.server().mount("/", new StatusPage(w.cluster(), w.history().recent())));
            Optional<String> url = web.map(w -> advertised(w.url(), me));
            FtsDaemon daemon;
            if (c.descriptor().etcd() == null) {
                daemon = new FtsDaemon(c, new FtsService(c, me, new FtsPolicy()::decide, Time.SYSTEM,
                        Leadership.EMBEDDED, metrics, url), supervisor);
            } else {
                // without --host, the coordinator's address being one of this machine's also says so (host names
                // can be equal across hosts: network namespaces share this machine's)
                boolean onCoordinatorHost = me.equals(c.descriptor().coordinatorHost())
                        || me.equals(c.descriptor().coordinatorAddress())
                        || host == null && dev.tandem.host.LocalHostRunner.isLocal(c.descriptor().coordinatorAddress());
                EtcdLeadership etcd = new EtcdLeadership(c.descriptor().etcd(), me, onCoordinatorHost, Time.SYSTEM);
                daemon = new FtsDaemon(c, new FtsService(c, me, new FtsPolicy()::decide, Time.SYSTEM, etcd, metrics,
                        url), supervisor, Optional.of(etcd), Optional.of(new AutoActivation(c, SelfCommand::tandem)));
            }
            try {
                return daemonExit(UntilSignalled.run(daemon::run, daemon::stop, Duration.ofSeconds(15)));
            } finally {
                web.ifPresent(WebEndpoint::close);
            }
        }
    }

    /** A daemon or supervisor ends 0 only when asked to stop; anything else is a failure (the reason is in its log). */
    static int daemonExit(int status) {
        return (status == 0 ? ExitCode.OK : ExitCode.FAILED).code();
    }

    /**
     * The daemon of the directory given: on the coordinator host the coordinator's, on another control host (the
     * standby's, with etcd) that host's own copy of tandem.json, whose coordinator directory does not exist there.
     * Its pid file, log and command line are keyed by the directory given, so start, stop and status agree.
     */
    static FtsDaemonProcess process(ClusterOptions options, Cluster c) {
        var d = c.descriptor();
        String given = options.coordinatorDatadir().toString();
        return new FtsDaemonProcess(given.equals(d.coordinatorDatadir()) ? d
                : d.withCoordinator(d.coordinatorHost(), d.coordinatorAddress(), d.coordinatorPort(), given));
    }

    /** Refuses, before anything starts, an endpoint off loopback without TLS and a token. */
    static void refuseUnsafe(EndpointConfig e) {
        e.refusal(EndpointConfig.isLoopback(e.host())).ifPresent(why -> {
            throw new IllegalArgumentException(why);
        });
    }

    private static Optional<WebEndpoint> startEndpoint(EndpointConfig e, Cluster c, FtsMetrics metrics) {
        try {
            return Optional.of(WebEndpoint.start(e, c, metrics, Time.SYSTEM));
        } catch (java.io.IOException | RuntimeException ex) {
            org.slf4j.LoggerFactory.getLogger(FtsCommand.class).error("HTTP endpoint not started on {}:{}: {}; FTS runs "
                    + "without it (choose another with --http HOST:PORT)", e.host(), e.port(), ex.toString());
            return Optional.empty();
        }
    }

    /** The URL others use: a wildcard bind is reached by this host's name. */
    static String advertised(String url, String host) {
        return url.replace("://0.0.0.0:", "://" + host + ":").replace("://[0:0:0:0:0:0:0:0]:", "://" + host + ":");
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Start the FTS daemon in the background, supervised: restarted whenever it exits.")
    static final class Start implements Callable<Integer> {
        @Mixin
        ClusterOptions cluster;

        @Option(names = "--foreground", description = "Be the supervisor in the foreground instead.")
        boolean foreground;

        @Mixin
        HttpOptions http;

        @Override
        public Integer call() throws Exception {
            http.config().ifPresent(FtsCommand::refuseUnsafe); // said here, not in a log after backgrounding
            Cluster c = cluster.open();
            // the directory given (a standby's on its host), not the coordinator's that its tandem.json names
            if (foreground) return supervise(cluster.coordinatorDatadir().toString(), http.args());
            FtsDaemonProcess d = process(cluster, c);
            Output.info("FTS daemon running, pid " + d.start(SelfCommand.ftsSupervisor(d.descriptor(), http.args()))
                    + ", log " + d.logFile());
            return 0;
        }

        private static int supervise(String datadir, java.util.List<String> daemonArgs) throws Exception {
            long self = ProcessHandle.current().pid();
            FtsSupervisor supervisor = new FtsSupervisor(
                    () -> FtsSupervisor.of(new ProcessBuilder(SelfCommand.ftsRun(datadir, self, daemonArgs))
                            .inheritIO().start()),
                    Time.SYSTEM);
            return daemonExit(UntilSignalled.run(supervisor::run, supervisor::stop, Duration.ofSeconds(20)));
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop the FTS daemon.")
    static final class Stop implements Callable<Integer> {
        @Mixin
        ClusterOptions cluster;

        @Override
        public Integer call() {
            boolean was = process(cluster, cluster.open()).stop();
            Output.info(was ? "FTS daemon stopped" : "FTS daemon was not running");
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Is the FTS daemon running, and when did it last finish a probe round? Exit 1 when not running.")
    static final class Status implements Callable<Integer> {
        @Mixin
        ClusterOptions cluster;

        @Override
        public Integer call() throws Exception {
            Cluster c = cluster.open();
            FtsDaemonProcess d = process(cluster, c);
            Optional<ProcessHandle> local = d.running();
            System.out.println("local daemon: " + local.map(p -> "running, pid " + p.pid()).orElse("not running")
                    + " (pid file " + d.pidFile() + ", log " + d.logFile() + ")");
            try (Connection conn = c.coordinatorConnection(); Statement st = conn.createStatement();
                 ResultSet rs = st.executeQuery("SELECT daemon_host, daemon_pid, round_finished, "
                         + "extract(epoch FROM clock_timestamp() - round_finished), to_jsonb(f) ->> 'http_url' FROM tandem.fts_status f")) {
                if (rs.next() && rs.getString(3) != null) {
                    System.out.printf("last probe round: finished %s (%.1f s ago) by pid %s on %s%n", rs.getString(3),
                            rs.getDouble(4), rs.getString(2), rs.getString(1));
                    if (rs.getString(5) != null) System.out.println("HTTP endpoint: " + rs.getString(5));
                } else {
                    System.out.println("last probe round: none yet");
                }
            }
            return ExitCode.attentionIf(local.isEmpty()).code();
        }
    }

    @Command(name = "probe", mixinStandardHelpOptions = true,
            description = "Request a probe round and wait until one that began after the request has finished "
                    + "(same as SELECT tandem.request_fts_probe()).")
    static final class Probe implements Callable<Integer> {
        /** A daemon that has finished no round for this long is not probing: said at once, not after a timeout. */
        static final double SILENT_SECONDS = 10;

        @Mixin
        ClusterOptions cluster;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
                description = "Give up when no round has finished after this long (default: ${DEFAULT-VALUE}).")
        int timeoutSeconds;

        @Override
        public Integer call() throws Exception {
            if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
                throw new IllegalArgumentException("--timeout must be between 1 and 3600 seconds (was " + timeoutSeconds + ")");
            }
            long t0 = System.nanoTime();
            try (Connection conn = cluster.open().coordinatorConnection()) {
                // a daemon finishes a round every probe interval; one just started needs a second or two for its
                // first: waited for up to SILENT_SECONDS, then said, rather than a long wait for nothing
                Double[] seen = {null};
                new dev.tandem.time.Poll(dev.tandem.time.Time.SYSTEM, java.time.Duration.ofMillis(200)).until(() -> {
                    seen[0] = roundAge(conn);
                    return seen[0] != null && seen[0] <= SILENT_SECONDS;
                }, java.time.Duration.ofSeconds((long) SILENT_SECONDS));
                Double age = seen[0];
                if (age == null || age > SILENT_SECONDS) {
                    throw new dev.tandem.cluster.ClusterException(age == null
                            ? "no FTS probe round has ever finished: is the FTS daemon running? (tandem fts status; "
                            + "tandem fts start)" : String.format(java.util.Locale.ROOT, "no FTS probe round for %.0f s:"
                            + " is the FTS daemon running? (tandem fts status; tandem fts start)", age));
                }
                // the call waits for the round inside the server: its own deadline, not the connection's 30 s read timeout
                conn.setNetworkTimeout(Runnable::run, (timeoutSeconds + 10) * 1000);
                try (java.sql.PreparedStatement ps = conn.prepareStatement("SELECT tandem.request_fts_probe(?)")) {
                    ps.setDouble(1, timeoutSeconds);
                    ps.execute();
                }
            }
            Output.info(String.format("probe round finished (%.0f ms)", (System.nanoTime() - t0) / 1e6));
            return 0;
        }
    }

    /** Seconds since the last finished probe round, by the coordinator's clock; null when none ever finished. */
    static Double roundAge(Connection conn) throws java.sql.SQLException {
        try (Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT extract(epoch FROM clock_timestamp() - round_finished) "
                     + "FROM tandem.fts_status")) {
            return rs.next() && rs.getObject(1) != null ? rs.getDouble(1) : null;
        }
    }

    @Command(name = "transitions", mixinStandardHelpOptions = true,
            description = "Print the pair's state model: every change of a pair's catalog rows, allowed or refused, "
                    + "and why. A catalog write that is not an allowed edge is refused.")
    static final class Transitions implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().print(TransitionTable.render());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
