package dev.tandem.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** A run of free TCP ports on every given address (bounded search). */
public final class FreePorts {

    private FreePorts() {
    }

    public static int range(List<String> hosts, int width) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = 20000 + ThreadLocalRandom.current().nextInt(300) * 100;
            if (allFree(hosts, base, width)) return base;
        }
        throw new IllegalStateException("no free run of " + width + " ports found");
    }

    static boolean allFree(List<String> hosts, int base, int width) {
        for (String h : hosts) {
            for (int p = base; p < base + width; p++) {
                if (!free(h, p)) return false;
            }
        }
        return free("0.0.0.0", base) && free("0.0.0.0", base + width - 1);
    }

    public static boolean free(String host, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
