package dev.tandem.drill;

/** A {@code gp_configuration_history} row on the drill's clock. */
record HistoryEvent(long atNanos, int dbid, String desc) {
}
