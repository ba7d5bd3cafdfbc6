package dev.werun;

/**
 * The likely cause of a {@link DecryptFailedException}, from {@link Werun#diagnose}: for server
 * logs only. <b>Never return it to a client</b>: telling these causes apart is a padding oracle
 * that lets a client forge step counts.
 */
public enum Diagnosis {
    /** The data decrypts to WeRun data. */
    WERUN_DATA(0),
    /** The data decrypts to a JSON object that is not WeRun data (other open data). */
    NOT_WERUN_DATA(1),
    /** Most likely encrypted under another session_key (a stale login). */
    SESSION_KEY_MISMATCH(2),
    /** Only the first block is garbled: the wrong iv. */
    IV_MISMATCH(3),
    /** Decrypts with valid padding but is not UTF-8 JSON. */
    GARBLED(4),
    /** Looks cut short. */
    TRUNCATED(5);

    private static final Diagnosis[] BY_CODE = values();

    private final int code;
    private volatile String message;

    Diagnosis(int code) {
        this.code = code;
    }

    /** The C ABI's value ({@code WERUN_DIAGNOSIS_*}). */
    public int code() {
        return code;
    }

    /** The library's explanation ({@code werun_diagnosis_str}). */
    public String message() {
        String m = message;
        if (m == null) {
            Werun.ensureAvailable();
            message = m = Native.diagnosisMessage(code);
        }
        return m;
    }

    /** The diagnosis of a C ABI value, or null for a value this binding does not know. */
    public static Diagnosis fromCode(int code) {
        return code >= 0 && code < BY_CODE.length && BY_CODE[code].code == code ? BY_CODE[code] : null;
    }
}
