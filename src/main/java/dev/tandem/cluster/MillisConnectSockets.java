package dev.tandem.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.Properties;
import javax.net.SocketFactory;

/**
 * pgjdbc's socket factory ({@code socketFactory}) for a TCP connect timeout in milliseconds: pgjdbc's own
 * {@code connectTimeout} counts whole seconds, so an FTS probe timeout of 0.7 s became a 1 s connect. pgjdbc makes
 * an unconnected socket with {@link #createSocket()} and connects it with its own timeout; the socket made here
 * connects within the smaller of that and {@value #PROPERTY} from the connection properties.
 */
public final class MillisConnectSockets extends SocketFactory {

    /** Connection property: the connect timeout in milliseconds (0 or absent: pgjdbc's own). */
    public static final String PROPERTY = "tandemConnectTimeoutMillis";

    private final int millis;

    /** pgjdbc instantiates it with the connection's properties. */
    public MillisConnectSockets(Properties info) {
        int m;
        try {
            m = Integer.parseInt(info.getProperty(PROPERTY, "0"));
        } catch (NumberFormatException e) {
            m = 0;
        }
        this.millis = Math.max(0, m);
    }

    int millis() {
        return millis;
    }

    @Override
    public Socket createSocket() {
        return new Socket() {
            @Override
            public void connect(SocketAddress endpoint, int timeout) throws IOException {
                super.connect(endpoint, bound(timeout));
            }
        };
    }

    /** The connect timeout to use given pgjdbc's ({@code 0} = none). */
    int bound(int pgjdbcTimeout) {
        if (millis == 0) return pgjdbcTimeout;
        return pgjdbcTimeout == 0 ? millis : Math.min(millis, pgjdbcTimeout);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
    }

    /** The factory's other forms (pgjdbc uses {@link #createSocket()}): connected at once, within the bound. */
    private Socket connected(InetSocketAddress remote, InetSocketAddress local) throws IOException {
        Socket s = createSocket();
        if (local != null) s.bind(local);
        s.connect(remote, bound(0));
        return s;
    }
}
