package dev.tandem.cluster;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.tandem.catalog.Segment;
import dev.tandem.host.Command;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The command run at the end of every activation of the standby coordinator, manual or automatic (as Patroni's
 * callbacks): to move a virtual IP, update DNS or a proxy. Kept in {@code tandem.json}. The command line is run by
 * {@code /bin/sh -c} on the new coordinator's host as the cluster's OS user, the new and the old coordinator given
 * as its positional parameters and in the environment (see {@link #command}); it is killed after
 * {@code timeoutSeconds}. Its outcome is logged; it never undoes the activation.
 *
 * <p>The parameters are not appended to the command line: {@code sleep 5; curl ...} would then become
 * {@code curl ... HOST PORT ...}; a script that wants them as arguments is given as {@code move-vip "$@"}.
 */
public record CoordinatorHook(String command, int timeoutSeconds) {

    public static final int DEFAULT_TIMEOUT_SECONDS = 60;
    public static final int MAX_TIMEOUT_SECONDS = 3600;

    /** Everything wrong with it, for the operator; empty when usable. */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        if (command == null || command.isBlank()) p.add("the coordinator-change command is empty");
        else if (command.indexOf('\n') >= 0 || command.indexOf('\0') >= 0) p.add("the coordinator-change command must be one line");
        if (timeoutSeconds < 1 || timeoutSeconds > MAX_TIMEOUT_SECONDS) {
            p.add("the coordinator-change timeout must be between 1 and " + MAX_TIMEOUT_SECONDS + " seconds (was "
                    + timeoutSeconds + ")");
        }
        return p;
    }

    /** A usable hook, or an {@link IllegalArgumentException} with every problem. */
    public static CoordinatorHook of(String command, int timeoutSeconds) {
        CoordinatorHook h = new CoordinatorHook(command == null ? null : command.strip(), timeoutSeconds);
        if (!h.problems().isEmpty()) throw new IllegalArgumentException(String.join("; ", h.problems()));
        return h;
    }

    /**
     * The command for a change from {@code former} (empty when the catalog had no other coordinator row) to
     * {@code now}: {@code sh -c COMMAND tandem-hook NEW_HOST NEW_PORT NEW_DATADIR OLD_HOST OLD_PORT OLD_DATADIR}, so
     * {@code $1..$6} in the command (the old ones empty strings when unknown), and the same in {@code TANDEM_*}
     * variables with the addresses too.
     */
    @JsonIgnore
    public Command command(Segment now, Optional<Segment> former, String osUser) {
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", command, "tandem-hook",
                now.hostname(), Integer.toString(now.port()), now.datadir()));
        argv.add(former.map(Segment::hostname).orElse(""));
        argv.add(former.map(f -> Integer.toString(f.port())).orElse(""));
        argv.add(former.map(Segment::datadir).orElse(""));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("TANDEM_EVENT", "coordinator-change");
        put(env, "NEW", Optional.of(now));
        put(env, "OLD", former);
        return Command.of(now.address(), Duration.ofSeconds(timeoutSeconds), argv).as(osUser).withEnv(env);
    }

    private static void put(Map<String, String> env, String which, Optional<Segment> s) {
        String p = "TANDEM_" + which + "_COORDINATOR_";
        env.put(p + "HOST", s.map(Segment::hostname).orElse(""));
        env.put(p + "ADDRESS", s.map(Segment::address).orElse(""));
        env.put(p + "PORT", s.map(x -> Integer.toString(x.port())).orElse(""));
        env.put(p + "DATADIR", s.map(Segment::datadir).orElse(""));
    }

    /** One line for the operator. */
    public String describe() {
        return command + " (killed after " + timeoutSeconds + " s)";
    }
}
