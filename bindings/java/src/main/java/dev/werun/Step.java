package dev.werun;

/** One day of WeRun data: the day's start (00:00 UTC+8) in Unix seconds, and the steps walked. */
public final class Step {
    private final long timestamp;
    private final long step;

    /** A day: {@code step} is the library's {@code uint32_t}, 0 to 4294967295. */
    public Step(long timestamp, long step) {
        this.timestamp = timestamp;
        this.step = step;
    }

    /** The day's start, Unix seconds. */
    public long timestamp() {
        return timestamp;
    }

    /** The steps walked that day (0 to 4294967295: a {@code uint32_t} in the payload). */
    public long step() {
        return step;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Step)) return false;
        Step s = (Step) o;
        return s.timestamp == timestamp && s.step == step;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(timestamp) * 31 + Long.hashCode(step);
    }

    @Override
    public String toString() {
        return "Step{timestamp=" + timestamp + ", step=" + step + "}";
    }
}
