package dev.tandem.cluster;

import dev.tandem.host.Command;
import dev.tandem.host.CommandResult;
import dev.tandem.host.HostRunner;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Groups a host file's names by machine, as gpinitsystem does: a host file may list several interface names of one
 * machine ({@code sdw1-1}, {@code sdw1-2}), and Greenplum asks each name for its {@code hostname} to tell which
 * names are one machine. Placement then counts machines, not names, so that no mirror lands on its primary's
 * machine by way of another interface.
 */
public final class MachineNames {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private MachineNames() {
    }

    /**
     * @param machineOf a name's machine, empty when it cannot be told (the name then stands for a machine of its own;
     *                  init's prechecks report a host that cannot be reached)
     * @return every name → its machine
     */
    public static Map<String, String> group(List<String> names, Function<String, Optional<String>> machineOf) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String n : names) out.put(n, machineOf.apply(n).filter(m -> !m.isBlank()).orElse(n));
        return out;
    }

    /**
     * Greenplum's way: {@code hostname} run on each name. Names of this machine stand for machines of their own:
     * on one machine, distinct loopback addresses are Tandem's stand-ins for distinct hosts (invariant 1).
     */
    public static Function<String, Optional<String>> byHostnameCommand(HostRunner runner, Predicate<String> isLocal) {
        return name -> {
            if (isLocal.test(name)) return Optional.of(name);
            try {
                CommandResult r = runner.run(Command.of(name, TIMEOUT, List.of("hostname")));
                return r.exitCode() == 0 ? Optional.of(r.stdout().strip()) : Optional.empty();
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        };
    }
}
