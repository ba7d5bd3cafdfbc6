package dev.werun;

import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Decrypts WeChat WeRun data ({@code wx.getWeRunData}) and other open data with the werun
 * library: base64, AES-128-CBC, strict PKCS#7, JSON and the appid check all happen in native
 * code, called through JNI; there is no crypto and no JSON parsing in Java.
 *
 * <pre>{@code
 * WeRunData data = Werun.decryptSteps(sessionKey, iv, encryptedData,
 *     Options.forAppid("wx4f4bc4dec97d474b"));
 * for (Step day : data.steps()) System.out.println(day.timestamp() + " " + day.step());
 * }</pre>
 *
 * <p>Text arguments are the base64 strings as the backend received them. Only ASCII can be
 * base64: any other character makes the argument invalid (the same status whatever the
 * character). Every method is thread-safe: there is no shared state, Java's or native.
 * The library is loaded when this class is initialized; if it cannot be, every method throws
 * an {@link UnsatisfiedLinkError} that says why and how to point at one.
 */
public final class Werun {
    /** Entries the first native call has room for: every real payload (31 entries) fits. */
    public static final int DEFAULT_CAPACITY = 32;
    /** Most candidate session_keys {@link #decryptSteps(List, String, String, Options)} takes. */
    public static final int MAX_CANDIDATE_KEYS = 4;

    private static final int CAPACITY_EXCEEDED = 10;
    private static final UnsatisfiedLinkError LOAD_ERROR = NativeLoader.ERROR;

    private Werun() {}

    // ---------------------------------------------------------------------------- the library

    /** Throws the loader's {@link UnsatisfiedLinkError} if the native library is not usable. */
    public static void ensureAvailable() {
        if (LOAD_ERROR != null) {
            UnsatisfiedLinkError e = new UnsatisfiedLinkError(LOAD_ERROR.getMessage());
            e.initCause(LOAD_ERROR.getCause());
            throw e;
        }
    }

    /** Whether the native library loaded and passed its checks. */
    public static boolean isAvailable() {
        return LOAD_ERROR == null;
    }

    /** Why the native library is not usable, or null. */
    public static Throwable unavailabilityCause() {
        return LOAD_ERROR;
    }

    /**
     * Where the native library was loaded from: a path ({@code werun.library.path} or {@code
     * WERUN_LIBRARY}), or {@code jar:dev/werun/native/<platform>/libwerun_jni.so}.
     */
    public static String libraryPath() {
        ensureAvailable();
        return NativeLoader.SOURCE;
    }

    /** The native library's version ({@code werun_version()}), e.g. {@code "0.1.0"}. */
    public static String libraryVersion() {
        ensureAvailable();
        return Native.version();
    }

    /** This binding's version (the jar's). */
    public static String version() {
        return NativeLoader.VERSION;
    }

    // ------------------------------------------------------------------------ decrypt steps

    /**
     * Decrypts WeRun data and returns its steps.
     *
     * @param sessionKey the base64 {@code session_key} from code2Session
     * @param iv the base64 {@code iv} sent with the data
     * @param encryptedData the base64 {@code encryptedData} from {@code wx.getWeRunData}
     * @param options the appid check and the other options
     * @throws WerunException the subclass of the failure's status, e.g. {@link
     *     DecryptFailedException} for a stale session_key or {@link AppidMismatchException}
     * @throws NullPointerException for a null argument
     */
    public static WeRunData decryptSteps(String sessionKey, String iv, String encryptedData, Options options) {
        Objects.requireNonNull(sessionKey, "sessionKey");
        Objects.requireNonNull(iv, "iv");
        Objects.requireNonNull(encryptedData, "encryptedData");
        Objects.requireNonNull(options, "options");
        byte[] small = small(sessionKey.length(), iv.length(), options);
        put(small, 0, sessionKey);
        put(small, sessionKey.length(), iv);
        try {
            return steps(small, sessionKey.length(), iv.length(), encryptedData, options);
        } finally {
            Arrays.fill(small, 0, sessionKey.length(), (byte) 0);
        }
    }

    /**
     * {@link #decryptSteps(String, String, String, Options)} with the session_key in a {@code
     * char[]} that the caller wipes after the call (this method wipes its own copy).
     */
    public static WeRunData decryptSteps(char[] sessionKey, String iv, String encryptedData, Options options) {
        Objects.requireNonNull(sessionKey, "sessionKey");
        Objects.requireNonNull(iv, "iv");
        Objects.requireNonNull(encryptedData, "encryptedData");
        Objects.requireNonNull(options, "options");
        byte[] small = small(sessionKey.length, iv.length(), options);
        put(small, 0, CharBuffer.wrap(sessionKey));
        put(small, sessionKey.length, iv);
        try {
            return steps(small, sessionKey.length, iv.length(), encryptedData, options);
        } finally {
            Arrays.fill(small, 0, sessionKey.length, (byte) 0);
        }
    }

    /**
     * {@link #decryptSteps(String, String, String, Options)} with the three base64 texts as
     * ASCII bytes (e.g. straight from a request body). The arrays are only read.
     */
    public static WeRunData decryptSteps(byte[] sessionKey, byte[] iv, byte[] encryptedData, Options options) {
        Objects.requireNonNull(sessionKey, "sessionKey");
        Objects.requireNonNull(iv, "iv");
        Objects.requireNonNull(encryptedData, "encryptedData");
        Objects.requireNonNull(options, "options");
        byte[] small = small(sessionKey.length, iv.length, options);
        System.arraycopy(sessionKey, 0, small, 0, sessionKey.length);
        System.arraycopy(iv, 0, small, sessionKey.length, iv.length);
        try {
            return steps(small, sessionKey.length, iv.length, encryptedData, options);
        } finally {
            Arrays.fill(small, 0, sessionKey.length, (byte) 0);
        }
    }

    /**
     * Tries 1 to {@link #MAX_CANDIDATE_KEYS} candidate session_keys in order, for a key that
     * was rotated by a new {@code wx.login}: keep the previous key a short while and pass both
     * ({@code Arrays.asList(current, previous)}); {@link WeRunData#keyIndex()} says which one
     * worked. The data is decoded once. When none decrypts the data: {@link
     * DecryptFailedException}, as with one key; a candidate that is not base64 of 16 bytes
     * fails the call ({@link SessionKeyInvalidException}) even when another is right. Keys in
     * {@code char[]}s can be passed as {@code CharBuffer.wrap(chars)}.
     *
     * @throws InvalidArgumentException for no candidate or more than four
     */
    public static WeRunData decryptSteps(List<? extends CharSequence> sessionKeys, String iv, String encryptedData,
            Options options) {
        Objects.requireNonNull(sessionKeys, "sessionKeys");
        Objects.requireNonNull(iv, "iv");
        Objects.requireNonNull(encryptedData, "encryptedData");
        Objects.requireNonNull(options, "options");
        ensureAvailable();
        int n = sessionKeys.size();
        if (n > MAX_CANDIDATE_KEYS) throw WerunException.of(Status.INVALID_ARGUMENT.code());
        int[] lens = new int[MAX_CANDIDATE_KEYS];
        long keysLen = 0;
        for (int i = 0; i < n; i++) {
            lens[i] = Objects.requireNonNull(sessionKeys.get(i), "sessionKeys[" + i + "]").length();
            keysLen += lens[i];
        }
        if (keysLen > Integer.MAX_VALUE / 2) throw WerunException.of(Status.SESSION_KEY_INVALID.code());
        int keys = (int) keysLen;
        byte[] small = small(keys, iv.length(), options);
        try {
            int at = 0;
            for (int i = 0; i < n; i++) at = put(small, at, sessionKeys.get(i));
            put(small, keys, iv);
            int al = options.appidBytes == null ? -1 : options.appidBytes.length;
            byte[] data = latin1(encryptedData);
            int limit = options.maxSteps;
            int capacity = limit < 0 ? DEFAULT_CAPACITY : Math.min(limit, DEFAULT_CAPACITY);
            long now = options.nowSeconds();
            byte[] scratch = null;
            while (true) {
                long[] out = new long[Native.OUT_TAIL + 2 * capacity];
                int status = Native.decryptStepsWithKeys(small, n, lens, iv.length(), al, data, data.length,
                        options.flags(), now, options.maxAgeSeconds(), scratch, out, capacity);
                if (status == Native.NEED_SCRATCH && scratch == null) {
                    scratch = new byte[scratchLen(data.length, true)];
                    continue;
                }
                if (status == CAPACITY_EXCEEDED && capacity < maxCapacity(data.length, limit)) {
                    capacity = maxCapacity(data.length, limit);
                    continue;
                }
                check(status);
                return result(out, (int) out[Native.OUT_EXTRA]);
            }
        } finally {
            Arrays.fill(small, 0, keys, (byte) 0);
        }
    }

    // ----------------------------------------------------------------------------- open data

    /**
     * Decrypts any open data (phone number, user info, share info, WeRun data), verifies its
     * watermark like {@link #decryptSteps(String, String, String, Options)}, and returns the
     * plaintext JSON unparsed. ({@link Options#maxSteps(int)} does not apply.)
     */
    public static OpenData openData(String sessionKey, String iv, String encryptedData, Options options) {
        Objects.requireNonNull(sessionKey, "sessionKey");
        Objects.requireNonNull(iv, "iv");
        Objects.requireNonNull(encryptedData, "encryptedData");
        Objects.requireNonNull(options, "options");
        byte[] small = small(sessionKey.length(), iv.length(), options);
        put(small, 0, sessionKey);
        put(small, sessionKey.length(), iv);
        try {
            return open(small, sessionKey.length(), iv.length(), latin1(encryptedData), options);
        } finally {
            Arrays.fill(small, 0, sessionKey.length(), (byte) 0);
        }
    }

    /** {@link #openData(String, String, String, Options)} with a session_key the caller wipes. */
    public static OpenData openData(char[] sessionKey, String iv, String encryptedData, Options options) {
        Objects.requireNonNull(sessionKey, "sessionKey");
        Objects.requireNonNull(iv, "iv");
        Objects.requireNonNull(encryptedData, "encryptedData");
        Objects.requireNonNull(options, "options");
        byte[] small = small(sessionKey.length, iv.length(), options);
        put(small, 0, CharBuffer.wrap(sessionKey));
        put(small, sessionKey.length, iv);
        try {
            return open(small, sessionKey.length, iv.length(), latin1(encryptedData), options);
        } finally {
            Arrays.fill(small, 0, sessionKey.length, (byte) 0);
        }
    }

    /** {@link #openData(String, String, String, Options)} with ASCII bytes (only read). */
    public static OpenData openData(byte[] sessionKey, byte[] iv, byte[] encryptedData, Options options) {
        Objects.requireNonNull(sessionKey, "sessionKey");
        Objects.requireNonNull(iv, "iv");
        Objects.requireNonNull(encryptedData, "encryptedData");
        Objects.requireNonNull(options, "options");
        byte[] small = small(sessionKey.length, iv.length, options);
        System.arraycopy(sessionKey, 0, small, 0, sessionKey.length);
        System.arraycopy(iv, 0, small, sessionKey.length, iv.length);
        try {
            return open(small, sessionKey.length, iv.length, encryptedData.clone(), options);
        } finally {
            Arrays.fill(small, 0, sessionKey.length, (byte) 0);
        }
    }

    // ------------------------------------------------------------------------------ diagnose

    /**
     * For server logs only: the likely cause of a {@link DecryptFailedException} (stale
     * session_key, wrong iv, not WeRun data, ...). <b>Never return it to a client</b>: telling
     * these causes apart is a padding oracle that lets a client forge step counts.
     *
     * @throws WerunException only for inputs that cannot be decrypted at all (base64, length)
     */
    public static Diagnosis diagnose(String sessionKey, String iv, String encryptedData) {
        return diagnose(sessionKey, iv, encryptedData, false);
    }

    /** {@link #diagnose(String, String, String)}, reading base64 strictly when asked. */
    public static Diagnosis diagnose(String sessionKey, String iv, String encryptedData, boolean strictBase64) {
        Objects.requireNonNull(sessionKey, "sessionKey");
        Objects.requireNonNull(iv, "iv");
        Objects.requireNonNull(encryptedData, "encryptedData");
        ensureAvailable();
        int kl = sessionKey.length();
        byte[] small = new byte[kl + iv.length()];
        put(small, 0, sessionKey);
        put(small, kl, iv);
        try {
            byte[] data = latin1(encryptedData);
            int flags = strictBase64 ? Options.STRICT_BASE64 : 0;
            long[] out = new long[Native.OUT_TAIL];
            int status = Native.diagnose(small, kl, iv.length(), data, data.length, flags, null, out);
            if (status == Native.NEED_SCRATCH) {
                byte[] scratch = new byte[scratchLen(data.length, false)];
                status = Native.diagnose(small, kl, iv.length(), data, data.length, flags, scratch, out);
            }
            check(status);
            Diagnosis d = Diagnosis.fromCode((int) out[Native.OUT_EXTRA]);
            if (d == null) throw new InternalException(Status.INTERNAL.code());
            return d;
        } finally {
            Arrays.fill(small, 0, kl, (byte) 0);
        }
    }

    // ------------------------------------------------------------------------------- internals

    /** The small inputs' array: room for the key(s) and the iv, then the appid in place. */
    private static byte[] small(int keysLen, int ivLen, Options options) {
        ensureAvailable();
        byte[] appid = options.appidBytes;
        long len = (long) keysLen + ivLen + (appid == null ? 0 : appid.length);
        if (len > Integer.MAX_VALUE - 16) throw new OutOfMemoryError("werun: a session_key or iv of " + len + " characters");
        byte[] small = new byte[(int) len];
        if (appid != null) System.arraycopy(appid, 0, small, keysLen + ivLen, appid.length);
        return small;
    }

    /** The library's werun_decrypt_steps: the data only read, the scratch on the JNI stack
     *  (a Java array for big data), a second call with room for every entry when needed. */
    private static WeRunData steps(byte[] small, int keyLen, int ivLen, Object source, Options options) {
        int appidLen = options.appidBytes == null ? -1 : options.appidBytes.length;
        int limit = options.maxSteps;
        int capacity = limit < 0 ? DEFAULT_CAPACITY : Math.min(limit, DEFAULT_CAPACITY);
        long now = options.nowSeconds();
        byte[] data = source instanceof String ? latin1((String) source) : (byte[]) source;
        byte[] scratch = null;
        while (true) {
            long[] out = new long[Native.OUT_TAIL + 2 * capacity];
            int status = Native.decryptSteps(small, keyLen, ivLen, appidLen, data, data.length, options.flags(), now,
                    options.maxAgeSeconds(), scratch, out, capacity);
            if (status == Native.NEED_SCRATCH && scratch == null) {
                scratch = new byte[scratchLen(data.length, false)];
                continue;
            }
            if (status == CAPACITY_EXCEEDED && capacity < maxCapacity(data.length, limit)) {
                // The rare payload of more than 32 entries: once more with room for all of them.
                capacity = maxCapacity(data.length, limit);
                continue;
            }
            check(status);
            return result(out, 0);
        }
    }

    private static OpenData open(byte[] small, int keyLen, int ivLen, byte[] data, Options options) {
        int appidLen = options.appidBytes == null ? -1 : options.appidBytes.length;
        long[] out = new long[Native.OUT_TAIL];
        try {
            int status = Native.openDataInPlace(small, keyLen, ivLen, appidLen, data, data.length, options.flags(),
                    options.nowSeconds(), options.maxAgeSeconds(), out);
            check(status);
            int jsonLen = (int) out[Native.OUT_EXTRA];
            String json = new String(data, 0, jsonLen, StandardCharsets.UTF_8);
            return new OpenData(json, out[Native.OUT_HAS_WATERMARK] != 0, out[Native.OUT_WATERMARK]);
        } finally {
            Arrays.fill(data, (byte) 0); // the plaintext
        }
    }

    private static WeRunData result(long[] out, int keyIndex) {
        return new WeRunData(out, Native.OUT_TAIL, (int) out[Native.OUT_COUNT], out[Native.OUT_HAS_WATERMARK] != 0,
                out[Native.OUT_WATERMARK], keyIndex);
    }

    private static void check(int status) {
        if (status == 0) return;
        if (status == Native.BAD_ARGUMENTS) throw new IllegalStateException("werun: the JNI layer refused its arguments");
        if (status < 0) throw new IllegalStateException("werun: JNI status " + status);
        throw WerunException.of(status);
    }

    /** Room for every entry a payload of this many base64 characters can hold (each is at
     *  least {"step":0,"timestamp":0}, 24 bytes of plaintext), or the caller's limit. */
    private static int maxCapacity(int dataLen, int limit) {
        long fitsAll = scratchLen(dataLen, false) / 16 + 1;
        fitsAll = Math.min(fitsAll, (Integer.MAX_VALUE - Native.OUT_TAIL) / 2);
        return (int) (limit < 0 ? fitsAll : Math.min(limit, fitsAll));
    }

    private static int scratchLen(int dataLen, boolean withKeys) {
        long n = Native.scratchLen(dataLen, withKeys);
        if (n < 0) throw new OutOfMemoryError("werun: encryptedData of " + dataLen + " characters needs a scratch buffer over 2 GiB");
        return (int) n;
    }

    /** Writes a key or iv's characters at `at` (see latin1(char)); returns the end. */
    private static int put(byte[] dst, int at, CharSequence text) {
        for (int i = 0, n = text.length(); i < n; i++) dst[at++] = latin1(text.charAt(i));
        return at;
    }

    /**
     * A String's characters as bytes, for the library: ASCII as is; any other character (never
     * base64) as a byte that is not ASCII either, so that it fails as it would in UTF-8.
     * ({@code getBytes(ISO_8859_1)} is a plain copy of a compact string's bytes.)
     */
    static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1); // unmappable characters: '?', not base64
    }

    static byte latin1(char c) {
        return c < 0x80 ? (byte) c : (byte) 0xFF;
    }
}
