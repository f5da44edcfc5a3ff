package dev.tandem.catalog;

/** One edge of the pair's state model: a change of one content's rows, whether a write may make it, and why. */
public record Transition(PairShape from, PairShape to, Movement how, boolean allowed, String reason) {

    public boolean matches(PairShape f, PairShape t, Movement m) {
        return from == f && to == t && how == m;
    }
}
