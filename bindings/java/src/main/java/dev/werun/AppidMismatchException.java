package dev.werun;

/** {@link Status#APPID_MISMATCH}: the watermark is missing or belongs to another mini-program. */
public final class AppidMismatchException extends WerunException {
    private static final long serialVersionUID = 1L;

    AppidMismatchException() {
        super(Status.APPID_MISMATCH);
    }
}
