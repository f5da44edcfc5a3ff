package dev.tandem.coordinator;

import dev.tandem.catalog.Mode;
import dev.tandem.catalog.PlaceConflicts;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Where a new standby coordinator goes, and whether it may go there. Pure.
 *
 * <p>Defaults: the coordinator's port (the standby is on another host, so clients keep one port number across
 * an activation), and the data directory {@code <base>/standby/<name>} for a coordinator at
 * {@code <base>/coordinator/<name>}, the layout {@code tandem init --standby-host} uses.
 */
public final class StandbyPlace {

    private StandbyPlace() {
    }

    public static Path defaultDatadir(Path coordinatorDatadir) {
        Path parent = coordinatorDatadir.getParent();
        Path base = parent == null || parent.getParent() == null ? Path.of("/") : parent.getParent();
        return base.resolve("standby").resolve(coordinatorDatadir.getFileName());
    }

    /** The catalog row the new standby will have: the next dbid, content -1, role and preferred role m. */
    public static Segment row(List<Segment> config, String host, OptionalInt port, Optional<Path> datadir) {
        Segment coord = config.stream().filter(Segment::isCoordinator).findFirst()
                .orElseThrow(() -> new IllegalStateException("no coordinator row in the catalog"));
        int dbid = config.stream().mapToInt(Segment::dbid).max().orElse(0) + 1;
        Path dir = datadir.map(p -> p.toAbsolutePath().normalize())
                .orElse(defaultDatadir(Path.of(coord.datadir())));
        return new Segment(dbid, Segment.COORDINATOR_CONTENT, Role.MIRROR, Role.MIRROR, Mode.SYNCED, Status.UP,
                port.orElse(coord.port()), host, host, dir.toString());
    }

    /** What forbids this standby before anything is checked on a host. */
    public static List<String> problems(List<Segment> config, Segment standby) {
        List<String> out = new ArrayList<>();
        config.stream().filter(Segment::isStandbyCoordinator).findFirst().ifPresent(s -> out.add(
                "a standby coordinator is already configured at " + s.location()
                        + "; remove it first with tandem initstandby -r"));
        config.stream().filter(Segment::isCoordinator).findFirst().ifPresent(c -> {
            // invariant 1: a coordinator host that fails must not take its standby with it
            if (c.address().equals(standby.address()) || c.hostname().equals(standby.hostname())) {
                out.add("the standby must be on another host than the coordinator (" + c.address() + ":" + c.port()
                        + ")");
            }
        });
        // the placement rule on the paths as written; StandbyInitializer repeats it on the paths as the host resolves them
        PlaceConflicts.conflicts(PlaceConflicts.Occupant.of(standby),
                config.stream().map(PlaceConflicts.Occupant::of).toList()).forEach(out::add);
        return out;
    }
}
