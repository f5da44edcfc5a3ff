package dev.tandem.catalog;

/**
 * A compare-and-set catalog write found the rows it expected changed by another writer since its caller read them;
 * nothing was written. The caller decides again from a fresh read.
 */
public final class CatalogConflict extends RuntimeException {
    public CatalogConflict(String message) {
        super(message);
    }
}
