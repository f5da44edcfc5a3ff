package dev.tandem.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ListeningPortsTest {

    static final String SS = """
            LISTEN 0      128    127.0.0.2:37311 0.0.0.0:*
            LISTEN 0      50     [::ffff:127.0.0.3]:6000 *:*
            LISTEN 0      128      0.0.0.0:2024  0.0.0.0:*
            LISTEN 0      128         [::]:22 [::]:*
            LISTEN 0      128   [fe80::1%eth0]:7000 [::]:*
            """;

    @Test
    void portOnTheSameAddress_isTaken() {
        assertThat(ListeningPorts.parse(SS).taken(Set.of("127.0.0.2"), 37311)).isTrue();
    }

    @Test
    void portOnAnotherLoopbackAddress_isFree() {
        assertThat(ListeningPorts.parse(SS).taken(Set.of("127.0.0.1"), 37311)).isFalse();
    }

    @Test
    void javaStyleIpv4MappedListener_isTaken() {
        assertThat(ListeningPorts.parse(SS).taken(Set.of("127.0.0.3"), 6000)).isTrue();
    }

    @Test
    void wildcardListener_takesThePortOnEveryAddress() {
        assertThat(ListeningPorts.parse(SS).taken(Set.of("127.0.0.9"), 2024)).isTrue();
        assertThat(ListeningPorts.parse(SS).taken(Set.of("10.0.0.1"), 22)).isTrue();
    }

    @Test
    void scopedIpv6Address_isParsedWithoutItsZone() {
        assertThat(ListeningPorts.parse(SS).taken(Set.of("fe80::1"), 7000)).isTrue();
    }
}
