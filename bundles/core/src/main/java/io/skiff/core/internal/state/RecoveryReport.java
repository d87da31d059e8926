package io.skiff.core.internal.state;

/**
 * What the state store found when it opened its directory.
 *
 * @param snapshotsLoaded number of per-type snapshot files read
 * @param entriesReplayed journal entries applied on top of the snapshots
 * @param entriesSkipped journal entries already contained in the snapshots (left by an interrupted compaction)
 * @param tornOffset byte offset of the torn last journal line that was cut away, or -1 when there was none
 * @param tornBytesDropped number of bytes cut away from the end of the journal
 * @param lastSeq the sequence number of the last entry, from the snapshots or the journal
 */
public record RecoveryReport(int snapshotsLoaded, long entriesReplayed, long entriesSkipped, long tornOffset,
                             long tornBytesDropped, long lastSeq) {

    /** @return whether a torn last line was found and dropped */
    public boolean torn() {
        return tornOffset >= 0;
    }
}
