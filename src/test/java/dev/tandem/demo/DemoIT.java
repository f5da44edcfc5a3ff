package dev.tandem.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.cli.SelfCommand;
import dev.tandem.host.RoutingHostRunner;
import dev.tandem.testing.TestCluster;
import dev.tandem.testing.TestDir;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README's first command, {@code bin/tandem demo}, as a newcomer runs it (in process, in a test directory): a
 * cluster, a distributed table written through the coordinator by the application role, a primary killed, every row
 * still answered through the coordinator, recoverseg and rebalance, then {@code --down} leaving nothing behind. The
 * demo's ports are fixed (15432, 16000+, 17000+): where a person's demo runs, the test is skipped, saying so.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class DemoIT {

    private static boolean listening(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 200);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void demoUp_everyRowAnsweredThroughTheCoordinatorAfterTheKill_thenDownRemovesEverything() throws Exception {
        Assumptions.assumeFalse(listening("127.0.0.1", Demo.COORDINATOR_PORT),
                "port " + Demo.COORDINATOR_PORT + " is in use (a demo cluster running?): the demo's ports are fixed");
        try (TestDir dir = TestDir.create("demo")) {
            Path base = dir.path().resolve("demo-cluster");
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            Demo demo = new Demo(base, RoutingHostRunner.standard(), TestCluster.pgBin(),
                    line -> System.out.println("[demo] " + line), new PrintStream(printed, true, StandardCharsets.UTF_8),
                    SelfCommand::ftsSupervisor);
            try {
                demo.up();
                String out = printed.toString(StandardCharsets.UTF_8);
                System.out.println(out);
                assertThat(out).contains("as demo_app: SELECT count(*) FROM demo -> 600")
                        .contains("SELECT count(*) FROM demo -> 700")
                        .contains("All segments are running normally")
                        .contains("The demo cluster is running")
                        .containsPattern("The FTS daemon's status page: http://127\\.0\\.0\\.1:[0-9]+/");
                // what the README tells a newcomer to run: the application role, its password file, the coordinator
                String[] entry = Files.readString(demo.coordinatorDatadir().resolve("demo_app.pgpass")).strip().split(":");
                Properties p = new Properties();
                p.setProperty("user", entry[3]);
                p.setProperty("password", entry[4]);
                try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + Demo.COORDINATOR_PORT
                        + "/postgres", p); Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT count(*), min(id), max(id) FROM demo")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3))).containsExactly(700L, 1L, 700L);
                }
            } finally {
                demo.down();
            }
            assertThat(base).doesNotExist();
            assertThat(dir.processes()).as("every process of the demo stopped").isEmpty();
            assertThat(listening("127.0.0.1", Demo.COORDINATOR_PORT)).isFalse();
        }
    }
}
