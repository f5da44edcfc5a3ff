package dev.tandem.cluster;

import dev.tandem.host.HostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The bound on what root may remove or hand over: a data directory that the catalog names must lie under one of the
 * directories the operator gave the cluster ({@link ClusterDescriptor#dataRoots()}). The catalog is writable by the
 * database superuser, the descriptor only by the OS user and root, so a row pointed at {@code /srv/www} after init is
 * refused before anything there is touched. Compared on real paths, resolved on the directory's host.
 */
public final class DataRoots {

    private DataRoots() {
    }

    /** Whether {@code realDir} is, or lies under, one of {@code realRoots}. Pure. */
    static boolean covers(Path realDir, List<Path> realRoots) {
        Path d = realDir.normalize();
        return realRoots.stream().map(Path::normalize).anyMatch(d::startsWith);
    }

    /**
     * Why {@code dir} on {@code host} may not be removed or re-owned by {@code what}, or empty when it may. Empty too
     * for a cluster whose descriptor records no roots (made before they were recorded).
     */
    public static Optional<String> refusal(Cluster cluster, String host, Path dir, String what) {
        List<String> roots = cluster.descriptor().dataRoots();
        if (roots == null || roots.isEmpty()) return Optional.empty();
        List<Path> asked = new ArrayList<>();
        asked.add(dir);
        roots.forEach(r -> asked.add(Path.of(r)));
        List<Path> real;
        try {
            real = cluster.files().realPaths(host, asked);
        } catch (HostException e) {
            real = asked.stream().map(Path::normalize).toList();
        }
        if (covers(real.get(0), real.subList(1, real.size()))) return Optional.empty();
        return Optional.of(message(host, dir, real.get(0), roots, what));
    }

    static String message(String host, Path dir, Path real, List<String> roots, String what) {
        return "refusing to " + what + " " + dir + (real.equals(dir.normalize()) ? "" : " (real path " + real + ")")
                + " on " + host + ": it lies outside every directory given to this cluster " + roots
                + " (a catalog row points there, not the operator); give the instance a new place with tandem "
                + "recoverseg -i (a new place named there becomes one of the cluster's directories), or correct the "
                + "row. Nothing was changed there";
    }
}
