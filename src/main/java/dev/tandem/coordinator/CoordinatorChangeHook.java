package dev.tandem.coordinator;

import dev.tandem.catalog.Segment;
import dev.tandem.cluster.CoordinatorHook;
import dev.tandem.host.Command;
import dev.tandem.host.CommandResult;
import dev.tandem.host.CommandTimeoutException;
import dev.tandem.host.HostException;
import dev.tandem.host.HostRunner;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the cluster's {@link CoordinatorHook} once an activation is complete, and says how it went: exit status, time,
 * the end of its output. Whatever happens (non-zero exit, timeout, no shell), the activation stands: the new
 * coordinator is already the coordinator in its catalog and {@code tandem.json}, and undoing that because a VIP
 * script failed would leave clients with no coordinator at all.
 */
public final class CoordinatorChangeHook {

    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorChangeHook.class);
    /** Enough of a script's output to see why it failed, not enough to flood the terminal or the log. */
    static final int OUTPUT_TAIL = 2000;

    /** @param exitCode empty when it did not finish (timeout) or could not start */
    public record Outcome(boolean ok, Optional<Integer> exitCode, String summary) {
    }

    private CoordinatorChangeHook() {
    }

    /** Runs {@code hook} (if any) for the change from {@code former} to {@code now}; never throws. */
    public static Optional<Outcome> run(HostRunner runner, CoordinatorHook hook, Segment now, Optional<Segment> former,
                                        String osUser, Consumer<String> out) {
        if (hook == null) return Optional.empty();
        Outcome o = runOnce(runner, hook, now, former, osUser);
        String line = "coordinator-change hook " + hook.command() + ": " + o.summary();
        if (o.ok()) LOG.info("[content=-1 dbid={}] {}", now.dbid(), line);
        else LOG.warn("[content=-1 dbid={}] {} (the activation stands)", now.dbid(), line);
        out.accept(o.ok() ? line : line + " (the activation stands; run the hook by hand if it must take effect)");
        return Optional.of(o);
    }

    static Outcome runOnce(HostRunner runner, CoordinatorHook hook, Segment now, Optional<Segment> former, String osUser) {
        Command c = hook.command(now, former, osUser);
        try {
            CommandResult r = runner.run(c);
            String output = tail((r.stdout() + r.stderr()).strip());
            String summary = (r.ok() ? "done" : "FAILED, exit " + r.exitCode()) + " in "
                    + r.elapsed().toMillis() + " ms" + (output.isEmpty() ? "" : "; output: " + output);
            return new Outcome(r.ok(), Optional.of(r.exitCode()), summary);
        } catch (CommandTimeoutException e) {
            return new Outcome(false, Optional.empty(), "FAILED: killed after " + hook.timeoutSeconds() + " s");
        } catch (HostException | IllegalArgumentException e) {
            return new Outcome(false, Optional.empty(), "FAILED: not run: " + e.getMessage());
        }
    }

    static String tail(String s) {
        return s.length() <= OUTPUT_TAIL ? s : "..." + s.substring(s.length() - OUTPUT_TAIL);
    }
}
