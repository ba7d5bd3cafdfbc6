package dev.werun;

/** {@link Status#ENCRYPTED_DATA_INVALID}: encryptedData is not base64. */
public final class EncryptedDataInvalidException extends WerunException {
    private static final long serialVersionUID = 1L;

    EncryptedDataInvalidException() {
        super(Status.ENCRYPTED_DATA_INVALID);
    }
}
