package dev.tandem.catalog;

import java.util.Objects;

/**
 * One row of {@code gp_segment_configuration} (Greenplum 7 columns). Content {@code -1} is the coordinator
 * (role p) or its standby (role m); contents {@code 0..N-1} are the segments.
 */
public record Segment(int dbid, int content, Role role, Role preferredRole, Mode mode, Status status,
                      int port, String hostname, String address, String datadir) {

    public static final int COORDINATOR_CONTENT = -1;

    public Segment {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(preferredRole, "preferredRole");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(datadir, "datadir");
    }

    public boolean isCoordinator() {
        return content == COORDINATOR_CONTENT && role == Role.PRIMARY;
    }

    public boolean isStandbyCoordinator() {
        return content == COORDINATOR_CONTENT && role == Role.MIRROR;
    }

    public boolean isPrimary() {
        return role == Role.PRIMARY;
    }

    public boolean isMirror() {
        return role == Role.MIRROR;
    }

    public boolean isUp() {
        return status == Status.UP;
    }

    public boolean inPreferredRole() {
        return role == preferredRole;
    }

    /** The subject prefix used in logs and history rows: {@code [content=3 dbid=7]}. */
    public String subject() {
        return "[content=" + content + " dbid=" + dbid + "]";
    }

    /** {@code address:port:datadir}, the way Greenplum tools name an instance. */
    public String location() {
        return address + ":" + port + ":" + datadir;
    }

    public Segment withDbid(int d) {
        return new Segment(d, content, role, preferredRole, mode, status, port, hostname, address, datadir);
    }

    public Segment withRole(Role r) {
        return new Segment(dbid, content, r, preferredRole, mode, status, port, hostname, address, datadir);
    }

    public Segment withMode(Mode m) {
        return new Segment(dbid, content, role, preferredRole, m, status, port, hostname, address, datadir);
    }

    public Segment withStatus(Status s) {
        return new Segment(dbid, content, role, preferredRole, mode, s, port, hostname, address, datadir);
    }

    public Segment withPlace(String newHostname, String newAddress, int newPort, String newDatadir) {
        return new Segment(dbid, content, role, preferredRole, mode, status, newPort, newHostname, newAddress, newDatadir);
    }
}
