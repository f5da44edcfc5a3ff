package dev.tandem.catalog;

/** A segment instance's role, as in {@code gp_segment_configuration.role} / {@code preferred_role}. */
public enum Role {
    PRIMARY('p'),
    MIRROR('m');

    private final char code;

    Role(char code) {
        this.code = code;
    }

    public char code() {
        return code;
    }

    public static Role of(char code) {
        for (Role r : values()) {
            if (r.code == code) return r;
        }
        throw new IllegalArgumentException("unknown role '" + code + "' (expected p or m)");
    }

    public static Role of(String code) {
        if (code == null || code.length() != 1) throw new IllegalArgumentException("unknown role '" + code + "'");
        return of(code.charAt(0));
    }
}
