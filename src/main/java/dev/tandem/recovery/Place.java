package dev.tandem.recovery;

import dev.tandem.catalog.Segment;

/** Where an instance lives, the way a recover-config file names it: {@code address|port|datadir}. */
public record Place(String address, int port, String datadir) {

    public static Place of(Segment s) {
        return new Place(s.address(), s.port(), s.datadir());
    }

    public boolean matches(Segment s) {
        return address.equals(s.address()) && port == s.port() && datadir.equals(s.datadir());
    }

    /** {@code address|port|datadir}. */
    public String text() {
        return address + "|" + port + "|" + datadir;
    }

    @Override
    public String toString() {
        return text();
    }
}
