package dev.werun;

/**
 * The JNI entry points of {@code libwerun_jni.so} ({@code src/main/c/werun_jni.c}). Package
 * private: {@link Werun} is the API. Every method but the first two may be called only after
 * {@link NativeLoader} loaded and checked the library.
 */
final class Native {
    /** Must equal {@code WERUN_JNI_VERSION} of werun_jni.c (the glue's own interface). */
    static final int JNI_VERSION = 1;
    /** The C ABI this binding was written for: {@code WERUN_ABI_VERSION} of werun.h. */
    static final int ABI_VERSION = 1;

    /** An OutOfMemoryError is pending (a critical pin failed). */
    static final int PIN_FAILED = -1;
    /** The stack scratch is too small: call again with a scratch array. */
    static final int NEED_SCRATCH = -2;
    /** Lengths or array sizes out of range (a bug of this package). */
    static final int BAD_ARGUMENTS = -3;

    /** The summary slots at the start of the output array (the steps follow). */
    static final int OUT_COUNT = 0;
    static final int OUT_HAS_WATERMARK = 1;
    static final int OUT_WATERMARK = 2;
    static final int OUT_EXTRA = 3;
    static final int OUT_TAIL = 4;

    /** Using this class loads the library first (NativeLoader, which calls back in here). */
    static final boolean LOADED = NativeLoader.ERROR == null;

    private Native() {}

    static native int jniVersion();

    static native int abiVersion();

    static native int nop(int x);

    static native String version();

    static native String statusMessage(int status);

    static native int statusWxCode(int status);

    static native String diagnosisMessage(int diagnosis);

    static native long scratchLen(int encryptedDataLen, boolean withKeys);

    // The calls. `small` holds the session key(s), the iv and the appid one after the other
    // (appidLen -1: no appid); the output array gets OUT_TAIL summary slots, then a timestamp
    // and a step per entry, on success only. The C side trusts the lengths: these wrappers
    // check them (BAD_ARGUMENTS).

    static int decryptSteps(byte[] small, int keyLen, int ivLen, int appidLen, byte[] data, int dataLen,
            int flags, long now, long maxAge, byte[] scratch, long[] out, int capacity) {
        if (!small(small, keyLen, ivLen, appidLen) || !within(data, dataLen) || !out(out, capacity)) {
            return BAD_ARGUMENTS;
        }
        return decryptSteps0(small, keyLen, ivLen, appidLen, data, dataLen, flags, now, maxAge, scratch,
                scratch == null ? 0 : scratch.length, out, capacity);
    }

    static int decryptStepsWithKeys(byte[] small, int keyCount, int[] keyLens, int ivLen, int appidLen, byte[] data,
            int dataLen, int flags, long now, long maxAge, byte[] scratch, long[] out, int capacity) {
        if (keyCount < 0 || keyCount > 4 || keyLens.length != 4) return BAD_ARGUMENTS;
        long keys = 0;
        for (int i = 0; i < 4; i++) {
            if (keyLens[i] < 0 || (i >= keyCount && keyLens[i] != 0)) return BAD_ARGUMENTS;
            keys += keyLens[i];
        }
        if (keys > Integer.MAX_VALUE || !small(small, (int) keys, ivLen, appidLen) || !within(data, dataLen)
                || !out(out, capacity)) {
            return BAD_ARGUMENTS;
        }
        return decryptStepsWithKeys0(small, keyCount, keyLens[0], keyLens[1], keyLens[2], keyLens[3], ivLen, appidLen,
                data, dataLen, flags, now, maxAge, scratch, scratch == null ? 0 : scratch.length, out, capacity);
    }

    static int openDataInPlace(byte[] small, int keyLen, int ivLen, int appidLen, byte[] data, int dataLen,
            int flags, long now, long maxAge, long[] out) {
        if (!small(small, keyLen, ivLen, appidLen) || !within(data, dataLen) || !out(out, 0)) return BAD_ARGUMENTS;
        return openDataInPlace0(small, keyLen, ivLen, appidLen, data, dataLen, flags, now, maxAge, out);
    }

    static int diagnose(byte[] small, int keyLen, int ivLen, byte[] data, int dataLen, int flags, byte[] scratch,
            long[] out) {
        if (!small(small, keyLen, ivLen, -1) || !within(data, dataLen) || !out(out, 0)) return BAD_ARGUMENTS;
        return diagnose0(small, keyLen, ivLen, data, dataLen, flags, scratch, scratch == null ? 0 : scratch.length,
                out);
    }

    private static boolean small(byte[] small, int keyLen, int ivLen, int appidLen) {
        return small != null && keyLen >= 0 && ivLen >= 0 && appidLen >= -1
                && (long) keyLen + ivLen + Math.max(appidLen, 0) <= small.length;
    }

    private static boolean within(byte[] data, int len) {
        return data != null && len >= 0 && len <= data.length;
    }

    private static boolean out(long[] out, int capacity) {
        return out != null && capacity >= 0 && out.length >= OUT_TAIL + 2L * capacity;
    }

    private static native int decryptSteps0(byte[] small, int keyLen, int ivLen, int appidLen, byte[] data,
            int dataLen, int flags, long now, long maxAge, byte[] scratch, int scratchLen, long[] out, int capacity);

    private static native int decryptStepsWithKeys0(byte[] small, int keyCount, int len0, int len1, int len2,
            int len3, int ivLen, int appidLen, byte[] data, int dataLen, int flags, long now, long maxAge,
            byte[] scratch, int scratchLen, long[] out, int capacity);

    private static native int openDataInPlace0(byte[] small, int keyLen, int ivLen, int appidLen, byte[] data,
            int dataLen, int flags, long now, long maxAge, long[] out);

    private static native int diagnose0(byte[] small, int keyLen, int ivLen, byte[] data, int dataLen, int flags,
            byte[] scratch, int scratchLen, long[] out);
}
