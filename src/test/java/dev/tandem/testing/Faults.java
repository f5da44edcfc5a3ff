package dev.tandem.testing;

import dev.tandem.catalog.Segment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real faults on real instances, by PID read from the instance's own postmaster.pid. */
public final class Faults {
    private Faults() {
    }

    public static long postmasterPid(Segment s) throws IOException {
        return Long.parseLong(Files.readAllLines(Path.of(s.datadir(), "postmaster.pid")).get(0).strip());
    }

    public static void kill9(Segment s) throws Exception {
        signal("KILL", List.of(postmasterPid(s)));
    }

    /** The postmaster and all its children: a hung instance, as a frozen host or VM looks from outside. */
    public static List<Long> instancePids(Segment s) throws IOException {
        long pm = postmasterPid(s);
        List<Long> pids = new ArrayList<>();
        pids.add(pm);
        ProcessHandle.of(pm).ifPresent(ph -> ph.children().forEach(c -> pids.add(c.pid())));
        return pids;
    }

    public static void signal(String sig, List<Long> pids) throws Exception {
        List<String> argv = new ArrayList<>(List.of("kill", "-" + sig));
        pids.forEach(p -> argv.add(Long.toString(p)));
        Process p = new ProcessBuilder(argv).inheritIO().start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) throw new IllegalStateException("kill did not return");
    }
}
