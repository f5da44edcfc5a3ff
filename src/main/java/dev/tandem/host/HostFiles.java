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

    /**
     * Each path as the OS user's view of {@code host} resolves it ({@code realpath -m}: every link followed, missing
     * parts kept as written), in order. Placement compares these, so that a link planted by the OS user cannot hide
     * one data directory inside another. Paths are passed as arguments and read back NUL-separated.
     */
    public List<Path> realPaths(String host, List<Path> paths) {
        if (paths.isEmpty()) return List.of();
        List<String> argv = new java.util.ArrayList<>(List.of("realpath", "-m", "-z", "--"));
        paths.forEach(p -> argv.add(p.toString()));
        CommandResult r = runner.run(Command.of(host, T, argv).as(osUser));
        String[] out = r.stdout().split("\0");
        if (!r.ok() || out.length != paths.size() || java.util.Arrays.stream(out).anyMatch(o -> !o.startsWith("/"))) {
            throw new HostException("on " + host + ": cannot resolve the real paths of " + paths + " (realpath -m): "
                    + r.stderr().strip());
        }
        return java.util.Arrays.stream(out).map(Path::of).toList();
    }

    /** Whether the OS user could create entries in directory {@code dir}. */
    public boolean writableByOsUser(String host, Path dir) {
        Command c = Command.of(host, T, List.of("test", "-w", dir.toString(), "-a", "-x", dir.toString()));
        return runner.run(root ? c.as(osUser) : c).ok();
    }

    /**
     * mkdir -p, owned by the OS user. As root: a directory that exists already must be a real directory owned by the
     * OS user (root never hands over, or writes into, a directory that someone else owns or that a link points
     * at: a catalog path set to {@code /etc} must not become the OS user's); a new one is created as root and handed
     * over without following links ({@code chown -h}).
     */
    public void mkdirs(String host, Path dir) {
        if (!root) {
            runner.run(Command.of(host, T, List.of("mkdir", "-p", dir.toString()))).orThrow();
            return;
        }
        PlaceGuard.refuseSystemPath(dir);
        Place p = inspect(host, dir);
        if (p.kind() != Place.Kind.ABSENT) {
            if (p.kind() == Place.Kind.LINK || p.kind() == Place.Kind.NOT_A_DIRECTORY
                    || (p.kind() != Place.Kind.EMPTY_DIRECTORY && !osUser.equals(p.owner()))) {
                throw new HostException("on " + host + ": refusing to use " + dir + " as a directory of the cluster: it "
                        + p.describe() + ", not a directory owned by " + osUser);
            }
            // an empty directory made for the cluster by someone else (an operator's mkdir as root) is handed over
            if (!osUser.equals(p.owner())) {
                runner.run(Command.of(host, T, List.of("chown", "-h", osUser + ":", "--", dir.toString()))).orThrow();
            }
            return;
        }
        runner.run(Command.of(host, T, List.of("mkdir", "-p", "--", dir.toString()))).orThrow();
        runner.run(Command.of(host, T, List.of("chown", "-h", osUser + ":", "--", dir.toString()))).orThrow();
    }

    /**
     * rm -rf of a directory the catalog names (a data directory being replaced), as the OS user: root's rights are
     * never lent to a path that the database superuser can write into the catalog. Refused unless the directory is
     * absent, empty, or a PostgreSQL data directory ({@code PG_VERSION}) owned by the OS user, and never a system
     * path.
     */
    public void removeTree(String host, Path dir) {
        requireReplaceable(host, dir);
        Command rm = Command.of(host, Duration.ofMinutes(5), List.of("rm", "-rf", "--", dir.toString()));
        if (!root) {
            runner.run(rm).orThrow();
            return;
        }
        CommandResult asUser = runner.run(rm.as(osUser));
        if (asUser.ok()) return;
        // the contents are gone, but the directory's parent may be root's (mkdir -p at init): the empty directory
        // itself goes with rmdir, which removes nothing else and follows no link
        CommandResult rmdir = runner.run(Command.of(host, T, List.of("rmdir", "--", dir.toString())));
        if (!rmdir.ok() && exists(host, dir)) {
            throw new HostException("on " + host + ": could not remove " + dir + " as " + osUser + ": "
                    + (asUser.stderr() + rmdir.stderr()).strip());
        }
    }

    /**
     * rm -rf of a directory this very run created (an init or initstandby undoing itself), as the user that made it:
     * its parents may be root's, made by {@code mkdir -p}.
     */
    public void removeCreated(String host, Path dir) {
        PlaceGuard.refuseSystemPath(dir);
        runner.run(Command.of(host, Duration.ofMinutes(5), List.of("rm", "-rf", "--", dir.toString()))).orThrow();
    }

    /**
     * Throws unless {@code dir} may be replaced by a new copy of an instance: absent, an empty directory, or a
     * PostgreSQL data directory; owned by the OS user (when running as root); never a link or a system path.
     */
    public void requireReplaceable(String host, Path dir) {
        PlaceGuard.refuseSystemPath(dir);
        Place p = inspect(host, dir);
        String why = switch (p.kind()) {
            case ABSENT -> null;
            case EMPTY_DIRECTORY, DATA_DIRECTORY -> root && !osUser.equals(p.owner())
                    ? "belongs to " + p.owner() + ", not to the cluster's OS user " + osUser : null;
            case LINK, NOT_A_DIRECTORY, OTHER_DIRECTORY -> p.describe();
        };
        if (why != null) {
            throw new HostException("on " + host + ": refusing to replace " + dir + ": it " + why
                    + "; only an absent or empty directory, or a PostgreSQL data directory (PG_VERSION) of "
                    + osUser + ", is replaced. Nothing was changed there");
        }
    }

    /**
     * What is at {@code dir}, without following a link there. A data directory is one with {@code PG_VERSION}, or a
     * copy of one cut short: {@code backup_label} is the first file a base backup writes, and
     * {@code tandem_copy_incomplete} the marker of a differential copy (recoverseg killed mid-copy runs again).
     */
    Place inspect(String host, Path dir) {
        CommandResult r = runner.run(Command.of(host, T, List.of("sh", "-c",
                "if [ -L \"$1\" ]; then echo link; elif [ ! -e \"$1\" ]; then echo absent; "
                        + "elif [ ! -d \"$1\" ]; then echo file; elif [ -z \"$(ls -A \"$1\")\" ]; then echo empty; "
                        + "elif [ -f \"$1/PG_VERSION\" ] || [ -f \"$1/backup_label\" ] "
                        + "|| [ -f \"$1/tandem_copy_incomplete\" ]; then echo pgdata; else echo other; fi; "
                        + "stat -c %U -- \"$1\" 2>/dev/null || echo -", "inspect", dir.toString()))).orThrow();
        List<String> lines = r.stdout().lines().map(String::strip).toList();
        Place.Kind kind = switch (lines.isEmpty() ? "" : lines.get(0)) {
            case "link" -> Place.Kind.LINK;
            case "absent" -> Place.Kind.ABSENT;
            case "file" -> Place.Kind.NOT_A_DIRECTORY;
            case "empty" -> Place.Kind.EMPTY_DIRECTORY;
            case "pgdata" -> Place.Kind.DATA_DIRECTORY;
            case "other" -> Place.Kind.OTHER_DIRECTORY;
            default -> throw new HostException("on " + host + ": cannot inspect " + dir + ": " + r.stdout() + r.stderr());
        };
        return new Place(kind, lines.size() > 1 ? lines.get(1) : "-");
    }

    /** A place on a host as found, and its owner ("-" when absent). */
    record Place(Kind kind, String owner) {
        enum Kind { ABSENT, LINK, NOT_A_DIRECTORY, EMPTY_DIRECTORY, DATA_DIRECTORY, OTHER_DIRECTORY }

        String describe() {
            return switch (kind) {
                case ABSENT -> "does not exist";
                case LINK -> "is a symbolic link";
                case NOT_A_DIRECTORY -> "is not a directory";
                case EMPTY_DIRECTORY -> "is an empty directory owned by " + owner;
                case DATA_DIRECTORY -> "is a PostgreSQL data directory owned by " + owner;
                case OTHER_DIRECTORY -> "is a directory that holds files but no PostgreSQL data directory (no PG_VERSION)";
            };
        }
    }

    /** Writes a file as the OS user with the given octal mode (e.g. "600"). */
    public void write(String host, Path file, String content, String mode) {
        runner.run(Command.of(host, T, List.of("sh", "-c", "umask 077 && cat > \"$1\" && chmod " + mode + " \"$1\"",
                "write", file.toString())).as(osUser).withStdin(content)).orThrow();
    }

    /**
     * A new private file on {@code host} holding {@code content} (a pgpass for a tool that runs there), made by the OS
     * user with {@code mktemp} (0600, a fresh name) and filled through stdin (never a command line); the caller
     * removes it with {@link #remove}.
     */
    public Path writeTemp(String host, String prefix, String content) {
        if (!prefix.matches("[a-z][a-z0-9-]*")) throw new IllegalArgumentException("bad temporary file prefix " + prefix);
        CommandResult r = runner.run(Command.of(host, T, List.of("sh", "-c",
                "umask 077 && f=$(mktemp /tmp/" + prefix + ".XXXXXXXX) && cat > \"$f\" && echo \"$f\""))
                .as(osUser).withStdin(content)).orThrow();
        String path = r.stdout().strip();
        if (!path.startsWith("/tmp/" + prefix + ".")) {
            throw new HostException("on " + host + ": mktemp gave no file name: " + r.stdout() + r.stderr());
        }
        return Path.of(path);
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
