package dev.tandem.drill;

/**
 * Invariant 7 seen broken: consecutive catalog samples (from {@code fromSeconds} to {@code toSeconds} of the drill,
 * {@code samples} of them) at which foreign server {@code server} did not name its content's acting primary, each
 * read in one snapshot with the catalog. The trigger re-points a server in the catalog change's own transaction,
 * so no snapshot should ever show one: a single sighting fails the drill.
 */
record DriftSighting(int content, String server, String message, double fromSeconds, double toSeconds, int samples) {

    DriftSighting extendedTo(double seconds) {
        return new DriftSighting(content, server, message, fromSeconds, seconds, samples + 1);
    }
}
