package dev.tandem.host;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs commands as processes on this machine. When Tandem runs as root and a command asks for another OS user
 * (PostgreSQL refuses to run as root), the command runs through {@code runuser -u USER --}.
 */
public final class LocalHostRunner implements HostRunner {

    private final String currentUser = System.getProperty("user.name");

    @Override
    public CommandResult run(Command command) {
        return runStreaming(command, line -> { });
    }

    @Override
    public CommandResult runStreaming(Command command, java.util.function.Consumer<String> lines) {
        if (!reaches(command.host())) {
            throw new HostException("host " + command.host() + " is not an address of this machine; "
                    + "remote hosts need the ssh host runner");
        }
        List<String> argv = new ArrayList<>();
        command.asUser().filter(u -> !u.equals(currentUser)).ifPresent(u -> {
            if (!"root".equals(currentUser)) {
                throw new HostException("cannot run `" + command.display() + "` as OS user " + u
                        + ": Tandem runs as " + currentUser + " (run Tandem as " + u + ", or as root)");
            }
            argv.addAll(List.of("runuser", "-u", u, "--"));
        });
        argv.addAll(command.argv());
        return ProcessExec.run(command, argv, command.env(), command.workDir(), lines);
    }

    @Override
    public boolean reaches(String host) {
        return isLocal(host);
    }

    /** True when {@code host} resolves to a loopback or an address of one of this machine's interfaces. */
    public static boolean isLocal(String host) {
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (a.isLoopbackAddress() || a.isAnyLocalAddress() || NetworkInterface.getByInetAddress(a) != null) {
                    return true;
                }
            }
            return false;
        } catch (UnknownHostException | SocketException e) {
            return false;
        }
    }
}
