package dev.tandem.coordinator;

import dev.tandem.catalog.Segment;
import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.ClusterDescriptor;
import dev.tandem.dcs.StandbySyncRecord;
import dev.tandem.host.Command;
import dev.tandem.host.CommandResult;
import dev.tandem.host.HostException;
import dev.tandem.host.HostRunner;
import dev.tandem.host.LocalHostRunner;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FTS leader's {@link CoordinatorWatch.Activation}: the steps of {@code tandem activatestandby -f -a --no-fts}
 * ({@link StandbyActivator}, not a copy of it): the old coordinator fenced where its host answers, the standby
 * promoted, the catalog and history rows, tandem.json there. In this process when the standby is on this host
 * (StandbyActivator reads the standby's files); otherwise {@code tandem activatestandby} runs on the standby's host
 * through the host runner.
 *
 * <p>When the old coordinator's host did not answer the probes at all, its ssh port is tried for
 * {@link #SSH_CHECK}: a host that does not accept that connection either is treated as unreachable for this
 * activation, so fencing it is said and not waited for (ssh's own connect timeout would add 5 s twice, the old
 * coordinator's stop and its FTS daemon's). Across a partition the old coordinator cannot acknowledge a commit
 * anyway: its synchronous standby is the one promoted here.
 */
public final class AutoActivation implements CoordinatorWatch.Activation {

    private static final Logger LOG = LoggerFactory.getLogger(AutoActivation.class);
    static final Duration SSH_CHECK = Duration.ofMillis(500);
    static final Duration REMOTE_TIMEOUT = Duration.ofMinutes(3);

    private final Cluster cluster;
    private final Function<List<String>, List<String>> tandemArgv;

    /** @param tandemArgv {@code tandem ARGS...} as a command line on a control host */
    public AutoActivation(Cluster cluster, Function<List<String>, List<String>> tandemArgv) {
        this.cluster = cluster;
        this.tandemArgv = tandemArgv;
    }

    @Override
    public void activate(StandbySyncRecord standby, Segment old, boolean oldHostAnswers) throws Exception {
        HostRunner runner = oldHostAnswers || sshAnswers(old.address()) ? cluster.runner()
                : new UnreachableHost(cluster.runner(), old.address());
        if (LocalHostRunner.isLocal(standby.address())) {
            Path dir = Path.of(standby.datadir());
            if (activatedAlready(dir, standby)) {
                LOG.info("the standby {} is the coordinator already (its tandem.json names it)", standby.location());
                return;
            }
            new StandbyActivator(runner, cluster.tools().bin(), line -> LOG.info("[activatestandby] {}", line),
                    question -> true).activate(dir, true);
            return;
        }
        List<String> argv = new ArrayList<>(tandemArgv.apply(List.of("activatestandby", "-f", "-a", "--no-fts",
                "-d", standby.datadir())));
        CommandResult r = cluster.runner().run(Command.of(standby.address(), REMOTE_TIMEOUT, argv));
        (r.stdout() + r.stderr()).lines().forEach(l -> LOG.info("[activatestandby on {}] {}", standby.address(), l));
        r.orThrow();
    }

    /** An activation cut short after its tandem.json was rewritten: nothing left but publishing it. */
    static boolean activatedAlready(Path dir, StandbySyncRecord standby) {
        try {
            ClusterDescriptor d = ClusterDescriptor.fromJson(Files.readString(dir.resolve(ClusterDescriptor.FILE)),
                    dir.toString());
            return Path.of(d.coordinatorDatadir()).equals(dir) && d.coordinatorPort() == standby.port();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static boolean sshAnswers(String host) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, 22), (int) SSH_CHECK.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The runner, except that one host is unreachable at once. */
    record UnreachableHost(HostRunner delegate, String host) implements HostRunner {
        @Override
        public CommandResult run(Command command) {
            if (command.host().equals(host)) {
                throw new HostException("host " + host + " unreachable (no answer to the coordinator probes, nor on "
                        + "its ssh port within " + SSH_CHECK.toMillis() + " ms)");
            }
            return delegate.run(command);
        }

        @Override
        public boolean reaches(String h) {
            return !h.equals(host) && delegate.reaches(h);
        }
    }
}
