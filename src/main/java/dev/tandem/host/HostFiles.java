package dev.tandem.host;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * File operations on a host, through the {@link HostRunner} so that they work the same on a remote host. Files
 * that PostgreSQL reads are written as the cluster's OS user.
 */
public final class HostFiles {

    private static final Duration T = Duration.ofSeconds(30);

    private final HostRunner runner;
    private final String osUser;
    private final boolean root = "root".equals(System.getProperty("user.name"));

    public HostFiles(HostRunner runner, String osUser) {
        this.runner = Objects.requireNonNull(runner);
        this.osUser = Objects.requireNonNull(osUser);
    }

    public boolean exists(String host, Path p) {
        return runner.run(Command.of(host, T, List.of("test", "-e", p.toString()))).ok();
    }

    /** Absent, or an empty directory. */
    public boolean absentOrEmptyDir(String host, Path p) {
        if (!exists(host, p)) return true;
        CommandResult r = runner.run(Command.of(host, T, List.of("find", p.toString(), "-maxdepth", "0",
                "-type", "d", "-empty")));
        return r.ok() && !r.stdout().isBlank();
    }

    /** The nearest existing ancestor of {@code p} (or p itself). */
    public Path nearestExisting(String host, Path p) {
        Path cur = p.toAbsolutePath().normalize();
        while (cur != null && !exists(host, cur)) cur = cur.getParent();
        return cur == null ? Path.of("/") : cur;
    }

    /** Whether the OS user could create entries in directory {@code dir}. */
    public boolean writableByOsUser(String host, Path dir) {
        Command c = Command.of(host, T, List.of("test", "-w", dir.toString(), "-a", "-x", dir.toString()));
        return runner.run(root ? c.as(osUser) : c).ok();
    }

    /** mkdir -p, owned by the OS user (when running as root, created as root then handed over). */
    public void mkdirs(String host, Path dir) {
        runner.run(Command.of(host, T, List.of("mkdir", "-p", dir.toString()))).orThrow();
        if (root) runner.run(Command.of(host, T, List.of("chown", osUser + ":", dir.toString()))).orThrow();
    }

    public void removeTree(String host, Path dir) {
        runner.run(Command.of(host, Duration.ofMinutes(5), List.of("rm", "-rf", "--", dir.toString()))).orThrow();
    }

    /** Writes a file as the OS user with the given octal mode (e.g. "600"). */
    public void write(String host, Path file, String content, String mode) {
        runner.run(Command.of(host, T, List.of("sh", "-c", "umask 077 && cat > \"$1\" && chmod " + mode + " \"$1\"",
                "write", file.toString())).as(osUser).withStdin(content)).orThrow();
    }

    public void append(String host, Path file, String content) {
        runner.run(Command.of(host, T, List.of("sh", "-c", "cat >> \"$1\"", "append", file.toString()))
                .as(osUser).withStdin(content)).orThrow();
    }

    public String read(String host, Path file) {
        return runner.run(Command.of(host, T, List.of("cat", file.toString())).as(osUser)).orThrow().stdout();
    }

    public void touch(String host, Path file) {
        runner.run(Command.of(host, T, List.of("touch", file.toString())).as(osUser)).orThrow();
    }

    public void remove(String host, Path file) {
        runner.run(Command.of(host, T, List.of("rm", "-f", file.toString())).as(osUser)).orThrow();
    }
}
