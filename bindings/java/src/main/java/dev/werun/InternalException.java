package dev.werun;

/**
 * {@link Status#INTERNAL}: a bug caught at the library's boundary (should never be seen); also
 * a status code this binding does not know ({@link #code()} then has it).
 */
public final class InternalException extends WerunException {
    private static final long serialVersionUID = 1L;

    InternalException(int code) {
        super(Status.INTERNAL, code);
    }
}
