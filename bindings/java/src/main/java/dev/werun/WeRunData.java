package dev.werun;

import java.util.AbstractList;
import java.util.List;
import java.util.OptionalLong;
import java.util.RandomAccess;

/**
 * What {@link Werun#decryptSteps} found: the steps in document order, the watermark timestamp
 * and which candidate session_key worked. Immutable.
 *
 * <p>The entries are kept in one {@code long[]}: {@link #timestamp(int)} and {@link #step(int)}
 * read them without creating objects, {@link #steps()} is a {@code List<Step>} view.
 */
public final class WeRunData {
    /** The native call's output: summary slots, then timestamp, step pairs from {@code base}. */
    private final long[] entries;
    private final int base;
    private final int count;
    private final boolean hasWatermark;
    private final long watermarkTimestamp;
    private final int keyIndex;

    WeRunData(long[] entries, int base, int count, boolean hasWatermark, long watermarkTimestamp, int keyIndex) {
        this.entries = entries;
        this.base = base;
        this.count = count;
        this.hasWatermark = hasWatermark;
        this.watermarkTimestamp = watermarkTimestamp;
        this.keyIndex = keyIndex;
    }

    /** How many entries (days). */
    public int size() {
        return count;
    }

    /** Entry {@code i}'s day start, Unix seconds. */
    public long timestamp(int i) {
        check(i);
        return entries[base + 2 * i];
    }

    /** Entry {@code i}'s steps (0 to 4294967295). */
    public long step(int i) {
        check(i);
        return entries[base + 2 * i + 1];
    }

    /** The entries as an unmodifiable list (a view: each {@code get} makes a {@link Step}). */
    public List<Step> steps() {
        return new Steps();
    }

    /** The watermark's timestamp (Unix seconds); empty only when the appid check was skipped
     *  and the payload had no watermark. */
    public OptionalLong watermarkTimestamp() {
        return hasWatermark ? OptionalLong.of(watermarkTimestamp) : OptionalLong.empty();
    }

    /** Which candidate session_key decrypted the data (0 for a single key). */
    public int keyIndex() {
        return keyIndex;
    }

    private void check(int i) {
        if (i < 0 || i >= count) throw new IndexOutOfBoundsException("entry " + i + " of " + count);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof WeRunData)) return false;
        WeRunData d = (WeRunData) o;
        if (d.count != count || d.hasWatermark != hasWatermark || d.keyIndex != keyIndex
                || (hasWatermark && d.watermarkTimestamp != watermarkTimestamp)) {
            return false;
        }
        for (int i = 0; i < 2 * count; i++) {
            if (d.entries[d.base + i] != entries[base + i]) return false;
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = count * 31 + keyIndex;
        for (int i = 0; i < 2 * count; i++) h = h * 31 + Long.hashCode(entries[base + i]);
        return h * 31 + (hasWatermark ? Long.hashCode(watermarkTimestamp) : 0);
    }

    @Override
    public String toString() {
        return "WeRunData{steps=" + steps() + ", watermarkTimestamp=" + watermarkTimestamp()
                + ", keyIndex=" + keyIndex + "}";
    }

    private final class Steps extends AbstractList<Step> implements RandomAccess {
        @Override
        public Step get(int i) {
            check(i);
            return new Step(entries[base + 2 * i], entries[base + 2 * i + 1]);
        }

        @Override
        public int size() {
            return count;
        }
    }
}
