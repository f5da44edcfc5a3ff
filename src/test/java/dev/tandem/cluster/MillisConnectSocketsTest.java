package dev.tandem.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class MillisConnectSocketsTest {

    private static MillisConnectSockets of(String millis) {
        Properties p = new Properties();
        if (millis != null) p.setProperty(MillisConnectSockets.PROPERTY, millis);
        return new MillisConnectSockets(p);
    }

    @Test
    void subSecondBound_winsOverPgjdbcsWholeSeconds() {
        assertThat(of("700").bound(1000)).isEqualTo(700);
        assertThat(of("700").bound(0)).isEqualTo(700);
        assertThat(of("3000").bound(1000)).isEqualTo(1000);
    }

    @Test
    void absentOrBadProperty_leavesPgjdbcsTimeout() {
        assertThat(of(null).bound(2000)).isEqualTo(2000);
        assertThat(of("x").bound(2000)).isEqualTo(2000);
        assertThat(of("-5").bound(2000)).isEqualTo(2000);
    }

    @Test
    void socketsConnect_andARefusedPortIsRefused() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             Socket s = of("700").createSocket()) {
            s.connect(new InetSocketAddress(server.getInetAddress(), server.getLocalPort()), 1000);
            assertThat(s.isConnected()).isTrue();
        }
        int freePort;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            freePort = probe.getLocalPort();
        }
        try (Socket s = of("700").createSocket()) {
            assertThatThrownBy(() -> s.connect(new InetSocketAddress("127.0.0.1", freePort), 1000))
                    .isInstanceOf(ConnectException.class);
        }
    }
}
