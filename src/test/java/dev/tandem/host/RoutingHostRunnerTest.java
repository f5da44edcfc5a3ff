package dev.tandem.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RoutingHostRunnerTest {

    static final class Recording implements HostRunner {
        final List<String> hosts = new ArrayList<>();

        @Override
        public CommandResult run(Command c) {
            hosts.add(c.host());
            return new CommandResult(c, 0, "", "", Duration.ZERO);
        }

        @Override
        public boolean reaches(String host) {
            hosts.add("reaches " + host);
            return true;
        }
    }

    @Test
    void localAddresses_runLocally_othersOverSsh_decidedOncePerHost() {
        Recording local = new Recording();
        Recording remote = new Recording();
        AtomicInteger lookups = new AtomicInteger();
        RoutingHostRunner r = new RoutingHostRunner(local, remote, h -> {
            lookups.incrementAndGet();
            return h.startsWith("127.");
        });
        for (String h : List.of("127.0.0.1", "10.0.0.2", "127.0.0.1", "10.0.0.2")) {
            r.run(Command.of(h, Duration.ofSeconds(1), List.of("true")));
        }
        r.reaches("10.0.0.3");
        assertThat(local.hosts).containsExactly("127.0.0.1", "127.0.0.1");
        assertThat(remote.hosts).containsExactly("10.0.0.2", "10.0.0.2", "reaches 10.0.0.3");
        assertThat(lookups).hasValue(3);
    }
}
