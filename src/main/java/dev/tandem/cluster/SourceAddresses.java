package dev.tandem.cluster;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The addresses this (the control) host connects from when it reaches each cluster host: the kernel's choice of
 * source address, read by connecting a UDP socket (which sends nothing). pg_hba.conf must admit them, or Tandem
 * itself is refused by the cluster it just made when it runs on a host outside the list, or on one with several
 * addresses (a loopback alias, a second NIC): a cluster on 127.0.0.2 and 127.0.0.3 is reached from 127.0.0.1.
 */
public final class SourceAddresses {

    private SourceAddresses() {
    }

    /** Each distinct source address toward {@code hosts}, as a literal; a host it cannot route to adds none. */
    public static Set<String> toward(List<String> hosts) {
        Set<String> out = new LinkedHashSet<>();
        for (String h : hosts) {
            try (DatagramSocket s = new DatagramSocket()) {
                s.connect(new InetSocketAddress(InetAddress.getByName(h), 9));
                InetAddress local = s.getLocalAddress();
                if (local != null && !local.isAnyLocalAddress()) out.add(local.getHostAddress());
            } catch (IOException | RuntimeException e) {
                // unroutable from here: init's host check says so in its own words
            }
        }
        return out;
    }
}
