package dev.tandem.query;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One application role admitted from one client network to one database of the coordinator: the pg_hba.conf line
 * {@code host DB ROLE CIDR scram-sha-256}. Built only from validated parts, so that what an operator typed can
 * never become a second field, a keyword ({@code all}, {@code +group}, {@code @file}) or a weaker method.
 */
public record ClientRule(String database, String role, String network) {

    public static final String DEFAULT_DATABASE = "postgres";
    public static final String METHOD = "scram-sha-256";

    // unquoted identifiers, as PostgreSQL folds them: a quoted or mixed-case name would need quoting in pg_hba.conf
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_$]{0,62}");
    private static final Set<String> HBA_KEYWORDS = Set.of("all", "sameuser", "samerole", "samegroup", "replication");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");
    private static final Pattern IPV6 = Pattern.compile("([0-9a-fA-F:]+)/(\\d{1,3})");

    public ClientRule {
        name("role", role);
        name("database", database);
        if (role.startsWith("pg_")) throw new IllegalArgumentException("role " + role + ": names starting with pg_ are "
                + "PostgreSQL's predefined roles, not application roles");
        network = network(network);
    }

    /** Validates the three parts; each failure names the part and what is wrong with it. */
    public static ClientRule of(String database, String role, String network) {
        return new ClientRule(database == null ? DEFAULT_DATABASE : database, role, network);
    }

    public String line() {
        return "host    " + database + "  " + role + "  " + network + "  " + METHOD;
    }

    /** Whether {@code hbaLine} says the same (any spacing): the command adds no second copy. */
    public boolean sameAs(String hbaLine) {
        return fields(hbaLine).equals(fields(line()));
    }

    static List<String> fields(String line) {
        String s = line.strip();
        return s.isEmpty() || s.startsWith("#") ? List.of() : List.of(s.split("\\s+"));
    }

    private static void name(String what, String value) {
        if (value == null || value.isEmpty()) throw new IllegalArgumentException(what + " is empty");
        if (!NAME.matcher(value).matches()) {
            String hint = NAME.matcher(value.toLowerCase(Locale.ROOT)).matches()
                    ? " (PostgreSQL folds unquoted names to lower case: use " + value.toLowerCase(Locale.ROOT) + ")"
                    : " (letters a-z, digits, _ and $, not starting with a digit, at most 63 characters)";
            throw new IllegalArgumentException(what + " '" + value + "' is not a plain PostgreSQL name" + hint);
        }
        if (HBA_KEYWORDS.contains(value)) {
            throw new IllegalArgumentException(what + " '" + value + "' is a pg_hba.conf keyword, not a single "
                    + what + ": name the " + what + " itself");
        }
    }

    /** A network in CIDR form (address/prefix), host bits zero; returned in the form pg_hba.conf gets. */
    static String network(String cidr) {
        if (cidr == null || cidr.isEmpty()) throw new IllegalArgumentException("network is empty");
        Matcher v4 = IPV4.matcher(cidr);
        if (v4.matches()) {
            long addr = 0;
            for (int i = 1; i <= 4; i++) {
                String octet = v4.group(i);
                int o = Integer.parseInt(octet);
                if (o > 255 || (octet.length() > 1 && octet.startsWith("0"))) {
                    throw new IllegalArgumentException("network " + cidr + ": '" + octet + "' is not an IPv4 octet "
                            + "(0-255, no leading zero)");
                }
                addr = (addr << 8) | o;
            }
            int prefix = prefix(cidr, v4.group(5), 32);
            long mask = prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
            if ((addr & ~mask & 0xFFFFFFFFL) != 0) {
                long net = addr & mask;
                throw new IllegalArgumentException("network " + cidr + " has host bits set: the network is "
                        + (net >>> 24) + "." + ((net >>> 16) & 255) + "." + ((net >>> 8) & 255) + "." + (net & 255)
                        + "/" + prefix + " (or give one address as /32)");
            }
            return cidr;
        }
        Matcher v6 = IPV6.matcher(cidr);
        if (v6.matches() && v6.group(1).contains(":")) {
            byte[] a;
            try {
                // a literal of hex digits and colons only: parsed, never looked up
                a = java.net.InetAddress.getByName(v6.group(1)).getAddress();
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException("network " + cidr + ": '" + v6.group(1) + "' is not an IPv6 address");
            }
            if (a.length != 16) throw new IllegalArgumentException("network " + cidr + " is not an IPv6 network");
            int prefix = prefix(cidr, v6.group(2), 128);
            for (int bit = prefix; bit < 128; bit++) {
                if ((a[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
                    throw new IllegalArgumentException("network " + cidr + " has host bits set after /" + prefix);
                }
            }
            return cidr.toLowerCase(Locale.ROOT);
        }
        throw new IllegalArgumentException("network '" + cidr + "' is not in CIDR form: give an address and a prefix "
                + "length, e.g. 10.0.8.0/24 or 192.168.1.7/32 (host names and masks are not accepted)");
    }

    private static int prefix(String cidr, String digits, int max) {
        int p = Integer.parseInt(digits);
        if (p > max || (digits.length() > 1 && digits.startsWith("0"))) {
            throw new IllegalArgumentException("network " + cidr + ": prefix length /" + digits + " is not 0-" + max);
        }
        return p;
    }
}
