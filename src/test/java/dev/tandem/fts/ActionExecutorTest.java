package dev.tandem.fts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.cluster.Connector;
import dev.tandem.testing.FreePorts;
import dev.tandem.time.FakeTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The executor's order and failure rules. No catalog and no instance answers here: the stop is a recorded callback,
 * and an instance effect meets a port where nothing listens (a real refusal). The promotion's own deadline is
 * tested on the facade ({@code InstanceSqlTest}) and against a real standby ({@code InstanceSqlIT}).
 */
@Timeout(10)
class ActionExecutorTest {

    private final FakeTime time = new FakeTime();
    private final List<Segment> stopped = new ArrayList<>();

    private static Segment at(int dbid, Role role, int port) {
        return new Segment(dbid, 0, role, role, Mode.SYNCED, Status.UP, port, "sdw" + dbid, "127.0.0.1", "/d/" + dbid);
    }

    private ActionExecutor executor(java.util.function.Consumer<Segment> stop) {
        return new ActionExecutor(new Connector("tandem", "x"), s -> Optional.empty(),
                new dev.tandem.catalog.CatalogWriter(() -> { throw new AssertionError("no catalog write expected"); }),
                stop, time);
    }

    @Test
    void stopThatFails_isBestEffort_theDecisionGoesOn() {
        Segment old = at(2, Role.PRIMARY, 1);
        Decision d = new Decision.Promote(List.of(new Action.StopInstance(old), new Action.StopInstance(old)), "test",
                PairMemory.FRESH);
        boolean ok = executor(s -> {
            stopped.add(s);
            throw new IllegalStateException("pg_ctl: could not send stop signal");
        }).execute(d);
        assertThat(ok).isTrue();
        assertThat(stopped).containsExactly(old, old);
    }

    @Test
    void effectOnAnUnreachableInstance_failsTheDecision_andLaterActionsDoNotRun() {
        Segment mirror = at(3, Role.MIRROR, FreePorts.range(List.of("127.0.0.1"), 1));
        Segment old = at(2, Role.PRIMARY, 1);
        Decision d = new Decision.Promote(List.of(new Action.DetachStandby(mirror), new Action.StopInstance(old),
                new Action.PromoteStandby(mirror)), "test", PairMemory.FRESH);
        assertThat(executor(stopped::add).execute(d)).isFalse();
        assertThat(stopped).isEmpty();
        assertThat(time.sleeps()).isEmpty();
    }
}
