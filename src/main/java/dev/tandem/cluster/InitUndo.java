package dev.tandem.cluster;

import dev.tandem.catalog.Segment;
import dev.tandem.host.HostFiles;
import dev.tandem.host.PgTools;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * What a failed {@code tandem init} must take back: instances it started, directories it created, and the
 * contents of pre-existing empty directories it filled. Thread-safe: init steps run in parallel.
 */
final class InitUndo {

    private record Place(String host, Path path) {
    }

    private final PgTools tools;
    private final HostFiles files;
    private final List<Segment> started = Collections.synchronizedList(new ArrayList<>());
    private final List<Place> created = Collections.synchronizedList(new ArrayList<>());
    private final List<Place> filled = Collections.synchronizedList(new ArrayList<>());

    InitUndo(PgTools tools, HostFiles files) {
        this.tools = tools;
        this.files = files;
    }

    /** Creates the missing parents of {@code datadir}, remembering the topmost one it created. */
    void createParents(String host, Path datadir) {
        Path parent = datadir.getParent();
        Path existing = files.nearestExisting(host, parent);
        if (!existing.equals(parent)) {
            Path top = existing.resolve(parent.subpath(existing.getNameCount(), existing.getNameCount() + 1));
            created.add(new Place(host, top));
            // every directory we create below the existing one belongs to the OS user
            for (Path p = top; ; p = p.resolve(parent.getName(p.getNameCount()))) {
                files.mkdirs(host, p);
                if (p.equals(parent)) break;
            }
        }
    }

    void willFill(String host, Path datadir) {
        if (files.exists(host, datadir)) {
            filled.add(new Place(host, datadir));
            files.mkdirs(host, datadir); // hands an existing empty directory to the OS user
        } else {
            created.add(new Place(host, datadir));
        }
    }

    void started(Segment s) {
        started.add(s);
    }

    void run(Consumer<String> out) {
        for (Segment s : List.copyOf(started)) {
            try {
                tools.stop(s.address(), Path.of(s.datadir()), "immediate");
            } catch (RuntimeException e) {
                out.accept("could not stop " + s.subject() + " at " + s.location() + ": " + e.getMessage());
            }
        }
        for (Place p : List.copyOf(filled)) {
            try {
                files.removeCreated(p.host(), p.path());
                files.mkdirs(p.host(), p.path()); // it existed (empty) before init: leave it so
            } catch (RuntimeException e) {
                out.accept("could not empty " + p.host() + ":" + p.path() + ": " + e.getMessage());
            }
        }
        for (Place p : List.copyOf(created).reversed()) {
            try {
                files.removeCreated(p.host(), p.path());
            } catch (RuntimeException e) {
                out.accept("could not remove " + p.host() + ":" + p.path() + ": " + e.getMessage());
            }
        }
    }
}
