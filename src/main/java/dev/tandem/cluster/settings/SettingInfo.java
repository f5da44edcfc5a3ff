package dev.tandem.cluster.settings;

/**
 * One server setting as the coordinator's {@code pg_settings} describes it.
 *
 * @param context PostgreSQL's: internal, postmaster (restart), sighup (reload), superuser-backend, backend,
 *                superuser, user
 */
public record SettingInfo(String name, String context, String type, String unit, String description) {

    /** Changing it needs a restart of the instance to take effect. */
    public boolean needsRestart() {
        return "postmaster".equals(context);
    }

    /** A session may set it: PostgreSQL can check a value with set_config() and change nothing. */
    public boolean sessionSettable() {
        return "user".equals(context) || "superuser".equals(context);
    }

    /** Fixed when PostgreSQL was built or the cluster made: nothing can change it. */
    public boolean readOnly() {
        return "internal".equals(context);
    }

    /** How it takes effect, in an operator's words. */
    public String takesEffect() {
        return switch (context) {
            case "postmaster" -> "restart";
            case "internal" -> "never (fixed)";
            case "backend", "superuser-backend" -> "new sessions";
            default -> "reload";
        };
    }
}
