package dev.tandem.drill;

import dev.tandem.catalog.Segment;

/** A catalog row that changed between two samples with no history row for its dbid around that time. */
record UnrecordedChange(int dbid, Segment before, Segment after, long afterNanos) {
}
