package dev.werun;

/** {@link Status#IV_INVALID}: the iv is not base64 of 16 bytes. */
public final class IvInvalidException extends WerunException {
    private static final long serialVersionUID = 1L;

    IvInvalidException() {
        super(Status.IV_INVALID);
    }
}
