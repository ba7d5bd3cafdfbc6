package dev.werun;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How a payload is checked: the appid (required, or skipped in so many words), freshness,
 * strict base64 and the most entries accepted. Immutable: each method returns a new
 * {@code Options}, so one can be kept in a {@code static final} field and shared by threads.
 *
 * <pre>{@code
 * static final Options WERUN = Options.forAppid("wx4f4bc4dec97d474b")
 *     .maxAge(Duration.ofMinutes(10));      // optional: refuse a watermark older than that
 * }</pre>
 */
public final class Options {
    static final int SKIP_APPID_CHECK = 1; // WERUN_OPTION_SKIP_APPID_CHECK
    static final int STRICT_BASE64 = 2; // WERUN_OPTION_STRICT_BASE64
    static final int CHECK_FRESHNESS = 4; // WERUN_OPTION_CHECK_FRESHNESS

    private final String appid;
    /** UTF-8 of appid; null when skipped. */
    final byte[] appidBytes;
    private final Duration maxAge;
    /** Unix seconds of now(); meaningful when hasNow. */
    private final long now;
    private final boolean hasNow;
    private final boolean strictBase64;
    /** -1: every entry, however many. */
    final int maxSteps;

    private Options(String appid, Duration maxAge, boolean hasNow, long now, boolean strictBase64, int maxSteps) {
        this.appid = appid;
        this.appidBytes = appid == null ? null : appid.getBytes(StandardCharsets.UTF_8);
        this.maxAge = maxAge;
        this.hasNow = hasNow;
        this.now = now;
        this.strictBase64 = strictBase64;
        this.maxSteps = maxSteps;
    }

    /**
     * Checks that {@code watermark.appid} equals {@code appid} (byte for byte, after JSON
     * unescaping): the backend's own appid ({@code wx...}).
     */
    public static Options forAppid(String appid) {
        Objects.requireNonNull(appid, "appid (use Options.skipAppidCheck() to skip the check)");
        return new Options(appid, null, false, 0, false, -1);
    }

    /**
     * Skips the appid check: data encrypted for any mini-program is accepted, and a payload
     * without a watermark too ({@link WeRunData#watermarkTimestamp()} is then empty).
     */
    public static Options skipAppidCheck() {
        return new Options(null, null, false, 0, false, -1);
    }

    /**
     * Refuses ({@link WatermarkExpiredException}) a watermark older than {@code maxAge}, from
     * the future, or missing, at {@link #now(Instant)} or else at the system clock's time of
     * the call. Whole seconds (the fraction is dropped); not negative.
     */
    public Options maxAge(Duration maxAge) {
        Objects.requireNonNull(maxAge, "maxAge");
        if (maxAge.isNegative()) throw new IllegalArgumentException("maxAge is negative: " + maxAge);
        return new Options(appid, maxAge, hasNow, now, strictBase64, maxSteps);
    }

    /** The time {@link #maxAge(Duration)} is checked at (whole seconds), instead of the clock's. */
    public Options now(Instant now) {
        Objects.requireNonNull(now, "now");
        return new Options(appid, maxAge, true, now.getEpochSecond(), strictBase64, maxSteps);
    }

    /** {@link #now(Instant)} in Unix seconds (the library's {@code int64_t}, any value). */
    public Options nowEpochSeconds(long now) {
        return new Options(appid, maxAge, true, now, strictBase64, maxSteps);
    }

    /**
     * Accepts canonical RFC 4648 base64 only. By default the damage web frameworks do is
     * repaired: a {@code +} turned into a space, line breaks, the URL-safe alphabet, missing
     * {@code =}.
     */
    public Options strictBase64() {
        return new Options(appid, maxAge, hasNow, now, true, maxSteps);
    }

    /**
     * The most entries accepted: more is a {@link CapacityExceededException}. By default every
     * entry is returned, however many (real payloads have 31; more than 32 costs a second
     * library call with a bigger array; the result is never truncated).
     */
    public Options maxSteps(int maxSteps) {
        if (maxSteps < 0) throw new IllegalArgumentException("maxSteps is negative: " + maxSteps);
        return new Options(appid, maxAge, hasNow, now, strictBase64, maxSteps);
    }

    /** The appid checked, or null when the check is skipped. */
    public String appid() {
        return appid;
    }

    /** The freshness limit, or null. */
    public Duration maxAge() {
        return maxAge;
    }

    public boolean isStrictBase64() {
        return strictBase64;
    }

    /** The most entries accepted, or -1 for every entry. */
    public int maxSteps() {
        return maxSteps;
    }

    int flags() {
        int flags = appid == null ? SKIP_APPID_CHECK : 0;
        if (strictBase64) flags |= STRICT_BASE64;
        if (maxAge != null) flags |= CHECK_FRESHNESS;
        return flags;
    }

    /** Unix seconds for the freshness check (0 when there is none). */
    long nowSeconds() {
        if (maxAge == null) {
            if (hasNow) throw new IllegalArgumentException("Options.now() without maxAge()");
            return 0;
        }
        return hasNow ? now : Math.floorDiv(System.currentTimeMillis(), 1000L);
    }

    /** Whole seconds; the C ABI's uint64_t (a Duration's seconds are at most Long.MAX_VALUE). */
    long maxAgeSeconds() {
        return maxAge == null ? 0 : maxAge.getSeconds();
    }

    @Override
    public String toString() {
        return "Options{appid=" + (appid == null ? "(check skipped)" : appid) + ", maxAge=" + maxAge
                + ", now=" + (hasNow ? Long.toString(now) : "clock") + ", strictBase64=" + strictBase64 + ", maxSteps="
                + (maxSteps < 0 ? "all" : Integer.toString(maxSteps)) + "}";
    }
}
