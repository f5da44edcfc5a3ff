package dev.tandem.drill;

/** Consecutive samples of one instance that said the same thing: first and last sample (midpoints, nanos). */
record StateRun(int dbid, int content, InstanceState state, long firstNanos, long lastNanos) {

    StateRun extendedTo(long nanos) {
        return new StateRun(dbid, content, state, firstNanos, nanos);
    }
}
