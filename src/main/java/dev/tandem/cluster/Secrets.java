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

    /**
     * Reads the password back from a pgpass file written by {@link #pgpass}: the fifth field, where {@code \\:} and
     * {@code \\\\} are an escaped colon and backslash (libpq's rule), so a password may contain either.
     */
    public static String passwordFrom(String pgpassText) {
        String line = pgpassText.strip();
        int field = 0;
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch == '\\' && i + 1 < line.length()) {
                if (field == 4) password.append(line.charAt(i + 1));
                i++;
            } else if (ch == ':' && field < 4) {
                field++;
            } else if (field == 4) {
                password.append(ch);
            }
        }
        if (field < 4) throw new IllegalArgumentException("malformed password file");
        return password.toString();
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace(":", "\\:");
    }
}
