package dev.werun;

/** {@link Status#WATERMARK_EXPIRED}: freshness was asked for ({@link Options#maxAge}) and the watermark is too old, in the future or missing. */
public final class WatermarkExpiredException extends WerunException {
    private static final long serialVersionUID = 1L;

    WatermarkExpiredException() {
        super(Status.WATERMARK_EXPIRED);
    }
}
