package dev.tandem.drill;

/**
 * What one sample of one instance said. {@code CAN_ACK}: out of recovery, and a commit there would be acknowledged
 * (synchronous replication off, or a synchronous standby streaming). {@code BLOCKED}: out of recovery, but commits
 * wait for a synchronous standby that is not there: nothing can be acknowledged. {@code STANDBY}: in recovery.
 */
enum InstanceState {
    CAN_ACK, BLOCKED, STANDBY
}
