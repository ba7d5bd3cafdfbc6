package dev.werun;

/** {@link Status#CIPHERTEXT_LENGTH}: the decoded encryptedData is empty or not a multiple of 16 bytes. */
public final class CiphertextLengthException extends WerunException {
    private static final long serialVersionUID = 1L;

    CiphertextLengthException() {
        super(Status.CIPHERTEXT_LENGTH);
    }
}
