package dev.werun;

/** {@link Status#NULL_ARGUMENT}: a required pointer was NULL (never thrown by this API: a null argument is a {@link NullPointerException}). */
public final class NullArgumentException extends WerunException {
    private static final long serialVersionUID = 1L;

    NullArgumentException() {
        super(Status.NULL_ARGUMENT);
    }
}
