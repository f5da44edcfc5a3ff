package dev.tandem.cluster;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/** Opens JDBC connections to cluster instances as the cluster role, over TCP with SCRAM. */
public final class Connector {

    private final String user;
    private final String password;

    public Connector(String user, String password) {
        this.user = user;
        this.password = password;
    }

    public String user() {
        return user;
    }

    public Connection open(String address, int port, String database, Duration timeout) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        long secs = Math.max(1, (timeout.toMillis() + 999) / 1000);
        p.setProperty("connectTimeout", Long.toString(secs));
        p.setProperty("loginTimeout", Long.toString(secs));
        // pgjdbc's connectTimeout is whole seconds: the socket factory holds the TCP connect to the real bound
        p.setProperty("socketFactory", MillisConnectSockets.class.getName());
        p.setProperty(MillisConnectSockets.PROPERTY, Long.toString(Math.max(1, timeout.toMillis())));
        p.setProperty("socketTimeout", Long.toString(Math.max(secs, 30)));
        p.setProperty("tcpKeepAlive", "true");
        p.setProperty("ApplicationName", "tandem");
        p.setProperty("assumeMinServerVersion", "14");
        String host = address.contains(":") ? "[" + address + "]" : address;
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + database, p);
    }

    public Connection open(String address, int port, Duration timeout) throws SQLException {
        return open(address, port, ClusterDescriptor.CATALOG_DATABASE, timeout);
    }
}
