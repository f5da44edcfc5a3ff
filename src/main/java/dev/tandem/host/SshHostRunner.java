package dev.tandem.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs commands on another host with the system OpenSSH client, as Greenplum's tools do (passwordless ssh).
 *
 * <p>The argv is never a shell string built by concatenation: each element is quoted for the remote login shell
 * ({@link ShellQuote}). The remote command is {@code [cd DIR &&] [runuser -u USER --] [env K=V ...] ARGV}: Tandem
 * logs in as one user (root on real clusters, see README "Multi-host") and switches to the cluster's OS user on the
 * remote side, exactly as {@link LocalHostRunner} does locally, so every host needs only root's authorized key.
 * Environment values travel on the remote command line: they are paths and names, never secrets.
 *
 * <p>Connections are reused ({@code ControlMaster=auto}, sockets in a private directory, kept 60 s after the last
 * use), so the many small commands of an init cost one handshake per host. {@code BatchMode=yes}: a missing key
 * fails at once instead of prompting. Exit code 255 is ssh's own failure (unreachable, refused, authentication):
 * it becomes a {@link HostException} naming the host. On timeout the local ssh is killed; the remote command
 * loses its channel and dies when it next writes to it (a remote command that writes nothing runs on).
 */
public final class SshHostRunner implements HostRunner {

    static final int SSH_FAILURE = 255;

    private final SshOptions options;

    public SshHostRunner(SshOptions options) {
        this.options = options;
    }

    public SshOptions options() {
        return options;
    }

    @Override
    public CommandResult run(Command command) {
        return runStreaming(command, line -> { });
    }

    @Override
    public CommandResult runStreaming(Command command, java.util.function.Consumer<String> lines) {
        ensurePrivateControlDir();
        CommandResult r = ProcessExec.run(command, sshArgv(command), Map.of(), Optional.empty(), lines);
        if (r.exitCode() == SSH_FAILURE) {
            throw new HostException("host " + command.host() + " unreachable over ssh: " + lastLines(r.stderr())
                    + " (running `" + command.display() + "`)");
        }
        return r;
    }

    /** {@code ssh HOST true} within the reach timeout. */
    @Override
    public boolean reaches(String host) {
        try {
            return run(Command.of(host, options.reachTimeout(), List.of("true"))).ok();
        } catch (HostException e) {
            return false;
        }
    }

    /** Ends the reused connection to {@code host}, if any ({@code ssh -O exit}). */
    public void closeConnection(String host) {
        List<String> argv = new ArrayList<>(baseOptions());
        argv.addAll(List.of("-O", "exit", "--", host));
        argv.add(0, "ssh");
        try {
            ProcessExec.run(Command.of(host, Duration.ofSeconds(5), List.of("ssh", "-O", "exit")), argv, Map.of(),
                    Optional.empty());
        } catch (HostException e) {
            // no master, or it is already gone
        }
    }

    List<String> sshArgv(Command c) {
        List<String> argv = new ArrayList<>();
        argv.add("ssh");
        argv.addAll(baseOptions());
        if (c.stdin().isEmpty()) argv.add("-n");
        argv.add("-T");
        argv.add("--");
        argv.add(c.host());
        argv.add(remoteCommand(c));
        return argv;
    }

    private List<String> baseOptions() {
        List<String> o = new ArrayList<>();
        options.configFile().ifPresent(f -> o.addAll(List.of("-F", f.toString())));
        options.loginUser().ifPresent(u -> o.addAll(List.of("-l", u)));
        for (String opt : List.of("BatchMode=yes", "StrictHostKeyChecking=yes", "ConnectTimeout=" + Math.max(1, options.connectTimeout().toSeconds()),
                "ControlMaster=auto", "ControlPath=" + options.controlDir().resolve("%C"),
                "ControlPersist=" + options.controlPersist().toSeconds() + "s",
                "ServerAliveInterval=5", "ServerAliveCountMax=3", "LogLevel=ERROR")) {
            o.add("-o");
            o.add(opt);
        }
        return o;
    }

    String remoteCommand(Command c) {
        List<String> words = new ArrayList<>();
        c.asUser().filter(u -> !u.equals(loginUser())).ifPresent(u -> words.addAll(List.of("runuser", "-u", u, "--")));
        if (!c.env().isEmpty()) {
            words.add("env");
            c.env().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
                if (!e.getKey().matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    throw new IllegalArgumentException("not an environment variable name: " + e.getKey());
                }
                words.add(e.getKey() + "=" + e.getValue());
            });
        }
        words.addAll(c.argv());
        String cmd = ShellQuote.join(words);
        return c.workDir().map(d -> "cd " + ShellQuote.quote(d.toString()) + " && " + cmd).orElse(cmd);
    }

    private String loginUser() {
        return options.loginUser().orElse(System.getProperty("user.name"));
    }

    private void ensurePrivateControlDir() {
        Path dir = options.controlDir();
        try {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
            String owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName();
            if (!owner.equals(System.getProperty("user.name")) || !PosixFilePermissions.toString(perms).equals("rwx------")) {
                throw new HostException("ssh control directory " + dir + " must be owned by "
                        + System.getProperty("user.name") + " with mode 0700 (it is " + owner + ", "
                        + PosixFilePermissions.toString(perms) + ")");
            }
        } catch (IOException e) {
            throw new HostException("cannot create the ssh control directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String lastLines(String stderr) {
        String s = stderr.strip();
        if (s.isEmpty()) return "ssh exited with code 255 and said nothing";
        List<String> lines = s.lines().toList();
        return String.join(" / ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    }
}
