package dev.werun;

/** {@link Status#SESSION_KEY_INVALID}: the session_key (or a candidate key) is not base64 of 16 bytes. */
public final class SessionKeyInvalidException extends WerunException {
    private static final long serialVersionUID = 1L;

    SessionKeyInvalidException() {
        super(Status.SESSION_KEY_INVALID);
    }
}
