package dev.tandem.drill;

/** Two instances of one content out of recovery at the same time, each in {@code stateA}/{@code stateB}. */
record DualWindow(int content, int dbidA, InstanceState stateA, int dbidB, InstanceState stateB, long fromNanos,
                  long toNanos) {

    /** Both could acknowledge a commit: a split brain. Otherwise one was a demoted primary blocked by syncrep. */
    boolean splitBrain() {
        return stateA == InstanceState.CAN_ACK && stateB == InstanceState.CAN_ACK;
    }
}
