package dev.tandem.catalog;

/** Whether an instance is considered up or down, as in {@code gp_segment_configuration.status}. */
public enum Status {
    UP('u'),
    DOWN('d');

    private final char code;

    Status(char code) {
        this.code = code;
    }

    public char code() {
        return code;
    }

    public static Status of(char code) {
        for (Status s : values()) {
            if (s.code == code) return s;
        }
        throw new IllegalArgumentException("unknown status '" + code + "' (expected u or d)");
    }

    public static Status of(String code) {
        if (code == null || code.length() != 1) throw new IllegalArgumentException("unknown status '" + code + "'");
        return of(code.charAt(0));
    }
}
