package dev.tandem.drill;

import java.util.List;

/**
 * A read that contradicted what was acknowledged: ids acknowledged before the read began but absent from the
 * acting primary, or a row with an id no client ever sent.
 */
record ReadAnomaly(int content, int dbid, long atNanos, List<Long> missing, long unexpectedMaxId) {
}
