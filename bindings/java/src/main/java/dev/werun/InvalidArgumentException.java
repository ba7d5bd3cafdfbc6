package dev.werun;

/** {@link Status#INVALID_ARGUMENT}: an argument out of range: no candidate session_key, or more than {@link Werun#MAX_CANDIDATE_KEYS}. */
public final class InvalidArgumentException extends WerunException {
    private static final long serialVersionUID = 1L;

    InvalidArgumentException() {
        super(Status.INVALID_ARGUMENT);
    }
}
