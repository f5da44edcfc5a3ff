package dev.tandem.cluster.placement;

/** A cluster spec that cannot be laid out safely; nothing was planned. */
public class PlacementException extends IllegalArgumentException {
    public PlacementException(String message) {
        super(message);
    }
}
