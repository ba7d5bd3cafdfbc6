package dev.werun;

/**
 * The library's status codes ({@code enum werun_status} of {@code werun.h}), by value: the
 * numbers never change. Every status but {@link #OK} is thrown as its own subclass of
 * {@link WerunException}.
 */
public enum Status {
    /** Success (never thrown). */
    OK(0),
    /** A required pointer was NULL: never thrown by this API, which passes none. */
    NULL_ARGUMENT(1),
    /** {@code session_key} is not base64 of 16 bytes. */
    SESSION_KEY_INVALID(2),
    /** {@code iv} is not base64 of 16 bytes. */
    IV_INVALID(3),
    /** {@code encryptedData} is not base64. */
    ENCRYPTED_DATA_INVALID(4),
    /** The decoded ciphertext is empty or not a multiple of 16 bytes. */
    CIPHERTEXT_LENGTH(5),
    /** A scratch buffer too small: never thrown by this API, which sizes its own. */
    BUFFER_TOO_SMALL(6),
    /** Bad padding, not UTF-8, not JSON or not the expected shape: usually a stale session_key. */
    DECRYPT_FAILED(7),
    /** {@code watermark.appid} is missing or another mini-program's. */
    APPID_MISMATCH(8),
    /** Freshness was asked for and the watermark is too old, in the future or missing. */
    WATERMARK_EXPIRED(9),
    /** More step entries than {@link Options#maxSteps(int)}. */
    CAPACITY_EXCEEDED(10),
    /** A bug caught at the library's boundary; should never be seen. */
    INTERNAL(11),
    /** An argument out of range (e.g. no candidate key, or more than four). */
    INVALID_ARGUMENT(12);

    private static final Status[] BY_CODE = values();

    private final int code;
    private volatile String message;
    private volatile Integer wxCode;

    Status(int code) {
        this.code = code;
    }

    /** The C ABI's value. */
    public int code() {
        return code;
    }

    /** The library's message for this status ({@code werun_status_str}), with advice. */
    public String message() {
        String m = message;
        if (m == null) {
            Werun.ensureAvailable();
            message = m = Native.statusMessage(code);
        }
        return m;
    }

    /**
     * The code WeChat's official {@code WXBizDataCrypt} sample returns for the same input
     * ({@code werun_status_wx_code}): 0, -41001, -41002, -41003 or -41004.
     */
    public int wxCode() {
        Integer w = wxCode;
        if (w == null) {
            Werun.ensureAvailable();
            wxCode = w = Native.statusWxCode(code);
        }
        return w;
    }

    /** The status of a C ABI value, or null for a value this binding does not know. */
    public static Status fromCode(int code) {
        return code >= 0 && code < BY_CODE.length && BY_CODE[code].code == code ? BY_CODE[code] : null;
    }
}
