package dev.tandem.host;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Addresses of this machine run locally (no ssh to ourselves, and the single-host demo keeps working without an
 * sshd); every other host through ssh. Whether a host is local is decided once per host name.
 */
public final class RoutingHostRunner implements HostRunner {

    private final HostRunner local;
    private final HostRunner remote;
    private final Predicate<String> isLocal;
    private final Map<String, Boolean> decided = new ConcurrentHashMap<>();

    public RoutingHostRunner(HostRunner local, HostRunner remote, Predicate<String> isLocal) {
        this.local = local;
        this.remote = remote;
        this.isLocal = isLocal;
    }

    /** Local processes for this machine's addresses, OpenSSH (options from the environment) for the rest. */
    public static RoutingHostRunner standard() {
        return new RoutingHostRunner(new LocalHostRunner(), new SshHostRunner(SshOptions.fromEnvironment()),
                LocalHostRunner::isLocal);
    }

    /** As {@link #standard()}, with this ssh client config file ({@code ssh -F}). */
    public static RoutingHostRunner withSshConfig(java.nio.file.Path config) {
        return new RoutingHostRunner(new LocalHostRunner(),
                new SshHostRunner(SshOptions.fromEnvironment().withConfigFile(config)), LocalHostRunner::isLocal);
    }

    public HostRunner runnerFor(String host) {
        return decided.computeIfAbsent(host, isLocal::test) ? local : remote;
    }

    @Override
    public CommandResult run(Command command) {
        return runnerFor(command.host()).run(command);
    }

    @Override
    public CommandResult runStreaming(Command command, java.util.function.Consumer<String> lines) {
        return runnerFor(command.host()).runStreaming(command, lines);
    }

    @Override
    public boolean reaches(String host) {
        return runnerFor(host).reaches(host);
    }
}
