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

    /** Slots after the steps in the output array. */
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

    static native int decryptStepsInPlace(byte[] key, int keyLen, byte[] iv, int ivLen, byte[] data,
            int dataLen, byte[] appid, int flags, long now, long maxAge, long[] out, int capacity);

    static native int decryptStepsWithKeys(byte[] keys, int keyCount, int len0, int len1, int len2,
            int len3, byte[] iv, int ivLen, byte[] data, int dataLen, byte[] appid, int flags,
            long now, long maxAge, byte[] scratch, long[] out, int capacity);

    static native int openDataInPlace(byte[] key, int keyLen, byte[] iv, int ivLen, byte[] data,
            int dataLen, byte[] appid, int flags, long now, long maxAge, long[] out);

    static native int diagnose(byte[] key, int keyLen, byte[] iv, int ivLen, byte[] data,
            int dataLen, int flags, byte[] scratch, long[] out);
}
