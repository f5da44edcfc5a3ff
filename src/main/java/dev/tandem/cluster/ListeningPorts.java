package dev.tandem.cluster;

import java.util.HashSet;
import java.util.Set;

/** Which TCP ports are taken on a host, from {@code ss -Hltn} output. Pure, so it is tested without sockets. */
public record ListeningPorts(Set<Endpoint> listening) {

    public record Endpoint(String address, int port) {
    }

    public static ListeningPorts parse(String ssOutput) {
        Set<Endpoint> out = new HashSet<>();
        for (String line : ssOutput.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length < 4) continue;
            String local = f[3];
            int colon = local.lastIndexOf(':');
            if (colon <= 0) continue;
            try {
                String addr = local.substring(0, colon).replace("[", "").replace("]", "");
                int pct = addr.indexOf('%');
                if (pct >= 0) addr = addr.substring(0, pct);
                // an IPv6 socket bound to an IPv4 address (Java does this) shows as ::ffff:a.b.c.d
                if (addr.startsWith("::ffff:") && addr.indexOf('.') > 0) addr = addr.substring(7);
                out.add(new Endpoint(addr, Integer.parseInt(local.substring(colon + 1))));
            } catch (NumberFormatException e) {
                // a header or a line of another shape
            }
        }
        return new ListeningPorts(out);
    }

    /** Taken when something listens on that port at this address or on every address. */
    public boolean taken(Set<String> addresses, int port) {
        for (Endpoint e : listening) {
            if (e.port() != port) continue;
            if (e.address().equals("*") || e.address().equals("0.0.0.0") || e.address().equals("::")
                    || addresses.contains(e.address())) {
                return true;
            }
        }
        return false;
    }
}
