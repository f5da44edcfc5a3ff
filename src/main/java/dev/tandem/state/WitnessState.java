package dev.tandem.state;

import dev.tandem.catalog.Lsn;
import dev.tandem.catalog.Witness;
import dev.tandem.instance.WalSender;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A content's witness as {@code tandem state} shows it: its catalog row and what the acting primary says of it (its
 * walsender and the primary's WAL position), or why the primary could not be asked.
 */
public record WitnessState(Witness witness, Optional<WalSender> sender, Optional<Lsn> primaryLsn,
                           Optional<String> unreachable) {

    public WitnessState {
        Objects.requireNonNull(witness, "witness");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(primaryLsn, "primaryLsn");
        Objects.requireNonNull(unreachable, "unreachable");
    }

    /** The catalog row only ({@code -Q}, or a primary not asked). */
    public static WitnessState rowOnly(Witness w) {
        return new WitnessState(w, Optional.empty(), Optional.empty(), Optional.empty());
    }

    public boolean streaming() {
        return sender.filter(WalSender::streaming).isPresent();
    }

    /** Bytes of the primary's WAL the witness has not flushed yet; empty when unknown. */
    public OptionalLong bytesBehind() {
        if (sender.isEmpty() || primaryLsn.isEmpty()) return OptionalLong.empty();
        return OptionalLong.of(Math.max(0, primaryLsn.get().bytesAfter(sender.get().flushLsn())));
    }

    /** Down in the catalog, or not streaming although the primary was asked: worth an operator's look. */
    public boolean needsAttention() {
        boolean asked = primaryLsn.isPresent();
        return !witness.isUp() || (asked && !streaming());
    }

    /** "streaming", "catchup", "not connected", "not asked", or why the primary could not be asked. */
    public String seen() {
        if (unreachable.isPresent()) return "primary not reachable (" + unreachable.get() + ")";
        if (sender.isPresent()) return sender.get().state().pg() + "/" + sender.get().syncState().pg();
        return primaryLsn.isPresent() ? "not connected" : "not asked";
    }
}
