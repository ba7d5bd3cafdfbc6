package dev.werun;

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
        byte[] key = latin1(sessionKey);
        try {
            return decrypt(key, latin1(Objects.requireNonNull(iv, "iv")),
                    Objects.requireNonNull(encryptedData, "encryptedData"), options);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * {@link #decryptSteps(String, String, String, Options)} with the session_key in a {@code
     * char[]} that the caller wipes after the call (this method wipes its own copy).
     */
    public static WeRunData decryptSteps(char[] sessionKey, String iv, String encryptedData, Options options) {
        Objects.requireNonNull(sessionKey, "sessionKey");
        byte[] key = latin1(sessionKey);
        try {
            return decrypt(key, latin1(Objects.requireNonNull(iv, "iv")),
                    Objects.requireNonNull(encryptedData, "encryptedData"), options);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * {@link #decryptSteps(String, String, String, Options)} with the three base64 texts as
     * ASCII bytes (e.g. straight from a request body). The arrays are only read.
     */
    public static WeRunData decryptSteps(byte[] sessionKey, byte[] iv, byte[] encryptedData, Options options) {
        Objects.requireNonNull(sessionKey, "sessionKey");
        Objects.requireNonNull(iv, "iv");
        return decrypt(sessionKey, iv, Objects.requireNonNull(encryptedData, "encryptedData"), options);
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
        int total = 0;
        for (int i = 0; i < n; i++) {
            CharSequence k = Objects.requireNonNull(sessionKeys.get(i), "sessionKeys[" + i + "]");
            lens[i] = k.length();
            total += lens[i];
        }
        byte[] keys = new byte[total];
        try {
            int at = 0;
            for (int i = 0; i < n; i++) {
                CharSequence k = sessionKeys.get(i);
                for (int j = 0; j < lens[i]; j++) keys[at++] = latin1(k.charAt(j));
            }
            byte[] ivBytes = latin1(iv);
            byte[] data = latin1(encryptedData);
            int limit = options.maxSteps;
            int capacity = limit < 0 ? DEFAULT_CAPACITY : Math.min(limit, DEFAULT_CAPACITY);
            long now = options.nowSeconds();
            byte[] scratch = null;
            while (true) {
                long[] out = new long[2 * capacity + Native.OUT_TAIL];
                int status = Native.decryptStepsWithKeys(keys, n, lens[0], lens[1], lens[2], lens[3], ivBytes,
                        ivBytes.length, data, data.length, options.appidBytes, options.flags(), now,
                        options.maxAgeSeconds(), scratch, out, capacity);
                if (status == Native.NEED_SCRATCH && scratch == null) {
                    scratch = new byte[scratchLen(data.length, true)];
                    continue;
                }
                if (status == CAPACITY_EXCEEDED && capacity < maxCapacity(data.length, limit)) {
                    capacity = maxCapacity(data.length, limit);
                    continue;
                }
                check(status);
                return result(out, capacity, (int) out[2 * capacity + Native.OUT_EXTRA]);
            }
        } finally {
            Arrays.fill(keys, (byte) 0);
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
        byte[] key = latin1(sessionKey);
        try {
            return open(key, latin1(Objects.requireNonNull(iv, "iv")),
                    latin1(Objects.requireNonNull(encryptedData, "encryptedData")), options);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** {@link #openData(String, String, String, Options)} with a session_key the caller wipes. */
    public static OpenData openData(char[] sessionKey, String iv, String encryptedData, Options options) {
        Objects.requireNonNull(sessionKey, "sessionKey");
        byte[] key = latin1(sessionKey);
        try {
            return open(key, latin1(Objects.requireNonNull(iv, "iv")),
                    latin1(Objects.requireNonNull(encryptedData, "encryptedData")), options);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** {@link #openData(String, String, String, Options)} with ASCII bytes (only read). */
    public static OpenData openData(byte[] sessionKey, byte[] iv, byte[] encryptedData, Options options) {
        Objects.requireNonNull(sessionKey, "sessionKey");
        Objects.requireNonNull(iv, "iv");
        return open(sessionKey, iv, Objects.requireNonNull(encryptedData, "encryptedData").clone(), options);
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
        byte[] key = latin1(sessionKey);
        try {
            byte[] ivBytes = latin1(iv);
            byte[] data = latin1(encryptedData);
            int flags = strictBase64 ? Options.STRICT_BASE64 : 0;
            long[] out = new long[Native.OUT_TAIL];
            int status = Native.diagnose(key, key.length, ivBytes, ivBytes.length, data, data.length, flags, null, out);
            if (status == Native.NEED_SCRATCH) {
                byte[] scratch = new byte[scratchLen(data.length, false)];
                status = Native.diagnose(key, key.length, ivBytes, ivBytes.length, data, data.length, flags, scratch,
                        out);
            }
            check(status);
            Diagnosis d = Diagnosis.fromCode((int) out[Native.OUT_EXTRA]);
            if (d == null) throw new InternalException(Status.INTERNAL.code());
            return d;
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    // ------------------------------------------------------------------------------- internals

    /** Decrypts a private copy of the data in place (no scratch); `source` makes the copy. */
    private static WeRunData decrypt(byte[] key, byte[] iv, Object source, Options options) {
        Objects.requireNonNull(options, "options");
        ensureAvailable();
        int limit = options.maxSteps;
        int capacity = limit < 0 ? DEFAULT_CAPACITY : Math.min(limit, DEFAULT_CAPACITY);
        long now = options.nowSeconds();
        byte[] data = copy(source);
        long[] out = new long[2 * capacity + Native.OUT_TAIL];
        int status = Native.decryptStepsInPlace(key, key.length, iv, iv.length, data, data.length,
                options.appidBytes, options.flags(), now, options.maxAgeSeconds(), out, capacity);
        if (status == CAPACITY_EXCEEDED && capacity < maxCapacity(data.length, limit)) {
            // The rare payload of more than 32 entries: once more with room for all of them
            // (the first call decoded its copy of the data in place: a new copy).
            capacity = maxCapacity(data.length, limit);
            data = copy(source);
            out = new long[2 * capacity + Native.OUT_TAIL];
            status = Native.decryptStepsInPlace(key, key.length, iv, iv.length, data, data.length,
                    options.appidBytes, options.flags(), now, options.maxAgeSeconds(), out, capacity);
        }
        check(status);
        return result(out, capacity, 0);
    }

    private static OpenData open(byte[] key, byte[] iv, byte[] data, Options options) {
        Objects.requireNonNull(options, "options");
        ensureAvailable();
        long[] out = new long[Native.OUT_TAIL];
        try {
            int status = Native.openDataInPlace(key, key.length, iv, iv.length, data, data.length,
                    options.appidBytes, options.flags(), options.nowSeconds(), options.maxAgeSeconds(), out);
            check(status);
            int jsonLen = (int) out[Native.OUT_EXTRA];
            String json = new String(data, 0, jsonLen, StandardCharsets.UTF_8);
            return new OpenData(json, out[Native.OUT_HAS_WATERMARK] != 0, out[Native.OUT_WATERMARK]);
        } finally {
            Arrays.fill(data, (byte) 0); // the plaintext
        }
    }

    private static WeRunData result(long[] out, int capacity, int keyIndex) {
        int tail = 2 * capacity;
        return new WeRunData(out, (int) out[tail + Native.OUT_COUNT], out[tail + Native.OUT_HAS_WATERMARK] != 0,
                out[tail + Native.OUT_WATERMARK], keyIndex);
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

    private static byte[] copy(Object source) {
        if (source instanceof String) return latin1((String) source);
        return ((byte[]) source).clone();
    }

    /**
     * A String's characters as bytes, for the library: ASCII as is; any other character (never
     * base64) as a byte that is not ASCII either, so that it fails as it would in UTF-8.
     * ({@code getBytes(ISO_8859_1)} is a plain copy of a compact string's bytes.)
     */
    static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1); // unmappable characters: '?', not base64
    }

    static byte[] latin1(char[] chars) {
        byte[] b = new byte[chars.length];
        for (int i = 0; i < chars.length; i++) b[i] = latin1(chars[i]);
        return b;
    }

    static byte latin1(char c) {
        return c < 0x80 ? (byte) c : (byte) 0xFF;
    }
}
