package dev.werun;

/** {@link Status#DECRYPT_FAILED}: bad padding, not UTF-8, not JSON or not the expected shape: usually a stale session_key (one status on purpose; {@link Werun#diagnose} tells the likely cause for the logs). */
public final class DecryptFailedException extends WerunException {
    private static final long serialVersionUID = 1L;

    DecryptFailedException() {
        super(Status.DECRYPT_FAILED);
    }
}
