package dev.werun;

/**
 * Every failure of a werun call: one subclass per {@link Status}, so that {@code catch
 * (DecryptFailedException e)} picks a stale session_key, and {@code catch (WerunException e)}
 * everything. Unchecked, like Jackson's {@code JacksonException} and the JDK's {@code
 * UncheckedIOException}: a backend handles these where it answers the client, not at every
 * call (bindings/java/README.md, "Errors").
 *
 * <p>{@link #getMessage()} is the library's message ({@code werun_status_str}), with advice;
 * {@link #wxCode()} the code WeChat's official sample returns for the same input. Tell a client
 * one generic error: see {@link Werun#diagnose} for the logs.
 */
public class WerunException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Status status;
    private final int code;

    WerunException(Status status) {
        this(status, status.code());
    }

    WerunException(Status status, int code) {
        super(status == null || status.code() != code ? Native.statusMessage(code) : status.message());
        this.status = status;
        this.code = code;
    }

    /** The status (never {@link Status#OK}). */
    public Status status() {
        return status;
    }

    /** The C ABI's value of the status. */
    public int code() {
        return code;
    }

    /**
     * The code WeChat's official {@code WXBizDataCrypt} sample returns for the same input
     * ({@code werun_status_wx_code}): -41001 {@code IllegalAesKey}, -41002 {@code IllegalIv},
     * -41003 {@code IllegalBuffer} (also every status the sample has no counterpart for),
     * -41004 {@code DecodeBase64Error}.
     */
    public int wxCode() {
        return status != null && status.code() == code ? status.wxCode() : Native.statusWxCode(code);
    }

    /** The exception of a status code returned by the library (not OK). */
    static WerunException of(int code) {
        switch (code) {
            case 1: return new NullArgumentException();
            case 2: return new SessionKeyInvalidException();
            case 3: return new IvInvalidException();
            case 4: return new EncryptedDataInvalidException();
            case 5: return new CiphertextLengthException();
            case 6: return new BufferTooSmallException();
            case 7: return new DecryptFailedException();
            case 8: return new AppidMismatchException();
            case 9: return new WatermarkExpiredException();
            case 10: return new CapacityExceededException();
            case 11: return new InternalException(code);
            case 12: return new InvalidArgumentException();
            default:
                // A status this binding does not know (impossible with a library of its ABI
                // version, which fixes the set): reported as a bug, with its own code.
                return new InternalException(code);
        }
    }
}
