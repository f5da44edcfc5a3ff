package dev.tandem.host;

import java.nio.file.Path;
import java.util.List;

/**
 * The system paths that no data directory may be, nor lie under: the catalog, a recover-config file or a flag may
 * name any path, and Tandem runs as root. Checked on the normalised absolute path.
 */
public final class PlaceGuard {

    /** Never a data directory, nor a place one is created in or removed from. */
    static final List<Path> SYSTEM_TREES = List.of("/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64",
            "/libx32", "/proc", "/root", "/run", "/sbin", "/sys", "/usr").stream().map(Path::of).toList();
    /** Never themselves a data directory (but data directories may live under them). */
    static final List<Path> SYSTEM_DIRS = List.of("/", "/home", "/opt", "/srv", "/tmp", "/var", "/var/lib", "/mnt",
            "/media").stream().map(Path::of).toList();

    private PlaceGuard() {
    }

    /** Throws when {@code p} is, or is under, a system path. */
    public static void refuseSystemPath(Path p) {
        if (!p.isAbsolute()) throw new HostException("refusing " + p + ": not an absolute path");
        Path n = p.normalize();
        for (Path t : SYSTEM_TREES) {
            if (n.startsWith(t)) throw new HostException("refusing " + p + ": it is or lies under the system directory " + t);
        }
        if (SYSTEM_DIRS.contains(n)) throw new HostException("refusing " + p + ": a system directory, not a data directory");
    }
}
