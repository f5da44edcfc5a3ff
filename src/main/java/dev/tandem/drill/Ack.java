package dev.tandem.drill;

/**
 * One acknowledged commit: row {@code id} of {@code content}, acknowledged by instance {@code dbid} (the server the
 * client was connected to, checked by address and port), between {@code startNanos} (statement sent) and
 * {@code endNanos} (acknowledgement received).
 */
record Ack(int content, long id, int dbid, long startNanos, long endNanos) {
}
