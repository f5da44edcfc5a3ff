package dev.tandem.drill;

/**
 * One acknowledged commit: row {@code id} of {@code content}, acknowledged by instance {@code dbid} (the server the
 * client was connected to, checked by address and port), between {@code startNanos} (statement sent) and
 * {@code endNanos} (acknowledgement received). A write through the coordinator has no dbid of its own
 * ({@link #THROUGH_COORDINATOR}): the coordinator chose the instance, through the content's foreign server.
 */
record Ack(int content, long id, int dbid, long startNanos, long endNanos) {

    static final int THROUGH_COORDINATOR = -1;
}
