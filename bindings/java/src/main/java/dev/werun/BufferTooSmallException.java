package dev.werun;

/** {@link Status#BUFFER_TOO_SMALL}: a scratch buffer too small (never thrown by this API, which sizes its own). */
public final class BufferTooSmallException extends WerunException {
    private static final long serialVersionUID = 1L;

    BufferTooSmallException() {
        super(Status.BUFFER_TOO_SMALL);
    }
}
