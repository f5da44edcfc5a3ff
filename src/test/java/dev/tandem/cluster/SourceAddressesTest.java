package dev.tandem.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SourceAddressesTest {

    @Test
    void aLoopbackAlias_isReachedFromTheMainLoopbackAddress() {
        // Linux routes 127.0.0.0/8 through lo with source 127.0.0.1
        assertThat(SourceAddresses.toward(List.of("127.0.0.2", "127.0.0.3"))).containsExactly("127.0.0.1");
    }

    @Test
    void anUnresolvableHost_addsNothing() {
        assertThat(SourceAddresses.toward(List.of("no-such-host.invalid"))).isEmpty();
    }
}
