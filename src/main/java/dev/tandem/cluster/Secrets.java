package dev.tandem.cluster;

import java.security.SecureRandom;

/** The cluster role's password and the pgpass line that carries it. Never logged, never on a command line. */
public final class Secrets {

    private static final char[] ALPHABET =
            "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();

    private Secrets() {
    }

    public static String newPassword() {
        SecureRandom r = new SecureRandom();
        StringBuilder sb = new StringBuilder(32);
        for (int i = 0; i < 32; i++) sb.append(ALPHABET[r.nextInt(ALPHABET.length)]);
        return sb.toString();
    }

    /** A pgpass file granting the cluster role on any host, port and database (replication included). */
    public static String pgpass(String user, String password) {
        return "*:*:*:" + escape(user) + ":" + escape(password) + "\n";
    }

    /** Reads the password back from a pgpass file written by {@link #pgpass}. */
    public static String passwordFrom(String pgpassText) {
        String line = pgpassText.strip();
        int last = line.lastIndexOf(':');
        if (last < 0) throw new IllegalArgumentException("malformed password file");
        return line.substring(last + 1).replace("\\:", ":").replace("\\\\", "\\");
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace(":", "\\:");
    }
}
