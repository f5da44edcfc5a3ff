package dev.tandem.fts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.cluster.Connector;
import dev.tandem.instance.ProbeFailureKind;
import dev.tandem.testing.FreePorts;
import dev.tandem.time.FakeTime;
import java.net.ConnectException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The prober's reading of failures. A port where nothing listens is a real crash signal (connection refused) that
 * needs no server, so it is probed for real; the time a failed probe reports comes from the injected time.
 */
@Timeout(10)
class ProberTest {

    private final FakeTime time = new FakeTime();

    private static Segment nobodyListening() {
        int port = FreePorts.range(List.of("127.0.0.1"), 1);
        return new Segment(2, 0, Role.PRIMARY, Role.PRIMARY, Mode.SYNCED, Status.UP, port, "sdw1", "127.0.0.1", "/p");
    }

    @Test
    void primaryWhosePortRefuses_isRefused_aCrashSignal() {
        try (Prober p = new Prober(new Connector("tandem", "x"), time)) {
            PrimaryObservation o = p.probePrimary(nobodyListening(), Optional.empty(), Duration.ofSeconds(2));
            assertThat(o).isInstanceOf(PrimaryObservation.Refused.class);
        }
    }

    @Test
    void mirrorWhosePortRefuses_isUnreachableRefused() {
        try (Prober p = new Prober(new Connector("tandem", "x"), time)) {
            MirrorObservation o = p.probeMirror(nobodyListening(), Duration.ofSeconds(2));
            assertThat(o).isInstanceOfSatisfying(MirrorObservation.Unreachable.class,
                    u -> assertThat(u.kind()).isEqualTo(ProbeFailureKind.REFUSED));
        }
    }

    @Test
    void failures_byTheirSqlState_andTheWaitTheCallerMeasured() {
        Duration waited = Duration.ofMillis(700);
        assertThat(Prober.classify(new SQLException("refused", "08001", new ConnectException("refused")), waited))
                .isInstanceOf(PrimaryObservation.Refused.class);
        assertThat(Prober.classify(new SQLException("the database system is starting up", "57P03"), waited))
                .isInstanceOf(PrimaryObservation.Starting.class);
        assertThat(Prober.classify(new SQLException("password authentication failed", "28P01"), waited))
                .isInstanceOf(PrimaryObservation.Misconfigured.class);
        assertThat(Prober.classify(new SQLException("connection reset\nmore", "08006"), waited))
                .isEqualTo(new PrimaryObservation.Timeout(waited, "connection reset (SQLSTATE 08006)"));
    }
}
