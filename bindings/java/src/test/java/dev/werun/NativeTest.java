package dev.werun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.werun.VectorFile.Vector;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The JNI layer itself: its argument checks and what it writes, with pattern-filled outputs. */
class NativeTest {
    static final Vector S = VectorFile.load().sample;
    static final byte[] KEY = S.sessionKey.getBytes(StandardCharsets.US_ASCII);
    static final byte[] IV = S.iv.getBytes(StandardCharsets.US_ASCII);
    static final byte[] APPID = S.appid.getBytes(StandardCharsets.UTF_8);
    static final long PATTERN = 0x5A5A5A5A5A5A5A5AL;

    static byte[] data() {
        return S.encryptedData.getBytes(StandardCharsets.US_ASCII);
    }

    /** key | iv | appid, as Werun passes them. */
    static byte[] small(byte[] key, byte[] appid) {
        byte[] s = new byte[key.length + IV.length + appid.length];
        System.arraycopy(key, 0, s, 0, key.length);
        System.arraycopy(IV, 0, s, key.length, IV.length);
        System.arraycopy(appid, 0, s, key.length + IV.length, appid.length);
        return s;
    }

    static long[] out(int capacity) {
        long[] out = new long[Native.OUT_TAIL + 2 * capacity + 2]; // two more slots: never written
        Arrays.fill(out, PATTERN);
        return out;
    }

    @Test
    void successWritesTheSummaryAndTheEntriesAndNothingElse() {
        for (int capacity : new int[] {32, 100}) { // the stack path and the pinned one
            long[] out = out(capacity);
            byte[] data = data();
            assertEquals(0, Native.decryptSteps(small(KEY, APPID), KEY.length, IV.length, APPID.length, data,
                    data.length, 0, 0, 0, null, out, capacity));
            assertEquals(31, out[Native.OUT_COUNT]);
            assertEquals(1, out[Native.OUT_HAS_WATERMARK]);
            assertEquals((long) S.expect.watermarkTimestamp, out[Native.OUT_WATERMARK]);
            for (int i = 0; i < 31; i++) {
                assertEquals(S.expect.steps.get(i)[0], out[Native.OUT_TAIL + 2 * i]);
                assertEquals(S.expect.steps.get(i)[1], out[Native.OUT_TAIL + 2 * i + 1], "the step widened with zeros");
            }
            assertEquals(PATTERN, out[out.length - 1]);
            assertEquals(PATTERN, out[out.length - 2]);
            if (capacity == 32) {
                for (int i = Native.OUT_TAIL + 62; i < out.length; i++) assertEquals(PATTERN, out[i], "slot " + i);
            }
            assertArrayEquals(data(), data, "the data is only read");
        }
    }

    @Test
    void failureWritesNothing() {
        byte[] other = "wx0000000000000000".getBytes(StandardCharsets.UTF_8);
        long[] out = out(32);
        byte[] data = data();
        assertEquals(Status.APPID_MISMATCH.code(), Native.decryptSteps(small(KEY, other), KEY.length, IV.length,
                other.length, data, data.length, 0, 0, 0, null, out, 32));
        for (int i = 0; i < out.length; i++) assertEquals(PATTERN, out[i], "slot " + i);
        byte[] keys = (S.sessionKey + S.sessionKey + S.iv + S.appid.replace('4', '0')).getBytes(StandardCharsets.US_ASCII);
        assertEquals(Status.APPID_MISMATCH.code(), Native.decryptStepsWithKeys(keys, 2,
                new int[] {KEY.length, KEY.length, 0, 0}, IV.length, APPID.length, data, data.length, 0, 0, 0, null,
                out, 32));
        for (int i = 0; i < out.length; i++) assertEquals(PATTERN, out[i], "slot " + i);
        long[] small = out(0);
        assertEquals(Status.APPID_MISMATCH.code(), Native.openDataInPlace(small(KEY, other), KEY.length, IV.length,
                other.length, data, data.length, 0, 0, 0, small));
        for (int i = 0; i < small.length; i++) assertEquals(PATTERN, small[i], "slot " + i);
    }

    @Test
    void lengthsOutOfRangeAreRefusedBeforeTheNativeCall() {
        byte[] d = data();
        byte[] s = small(KEY, APPID);
        long[] out = out(32);
        int bad = Native.BAD_ARGUMENTS;
        int kl = KEY.length, il = IV.length, al = APPID.length;
        assertEquals(bad, Native.decryptSteps(s, kl + 1, il, al, d, d.length, 0, 0, 0, null, out, 32));
        assertEquals(bad, Native.decryptSteps(s, -1, il, al, d, d.length, 0, 0, 0, null, out, 32));
        assertEquals(bad, Native.decryptSteps(s, kl, il, -2, d, d.length, 0, 0, 0, null, out, 32));
        assertEquals(bad, Native.decryptSteps(s, kl, il, al, d, d.length + 1, 0, 0, 0, null, out, 32));
        assertEquals(bad, Native.decryptSteps(s, kl, il, al, d, d.length, 0, 0, 0, null, out, 34));
        assertEquals(bad, Native.decryptSteps(s, kl, il, al, d, d.length, 0, 0, 0, null, null, 0));
        assertEquals(bad, Native.decryptSteps(null, 0, 0, -1, d, d.length, 0, 0, 0, null, out, 32));
        assertEquals(bad, Native.decryptStepsWithKeys(s, 5, new int[] {24, 0, 0, 0}, il, al, d, d.length, 0, 0, 0,
                null, out, 32));
        assertEquals(bad, Native.decryptStepsWithKeys(s, 1, new int[] {24, 1, 0, 0}, il, al, d, d.length, 0, 0, 0,
                null, out, 32));
        assertEquals(bad, Native.decryptStepsWithKeys(s, 2, new int[] {24, 24, 0, 0}, il, al, d, d.length, 0, 0, 0,
                null, out, 32));
        assertEquals(bad, Native.openDataInPlace(s, kl, il + al + 1, -1, d, d.length, 0, 0, 0, out));
        assertEquals(bad, Native.diagnose(s, kl, il, d, d.length + 1, 0, null, new long[4]));
        assertEquals(bad, Native.diagnose(s, kl, il, d, d.length, 0, null, new long[3]));
        for (int i = 0; i < out.length; i++) assertEquals(PATTERN, out[i], "slot " + i);
        // The library's own checks still apply behind the JNI layer's: unknown flags.
        assertEquals(Status.INVALID_ARGUMENT.code(), Native.decryptSteps(s, kl, il, al, d, d.length, 64, 0, 0, null,
                out, 32));
    }

    @Test
    void aBigPayloadAsksForAScratchArray() {
        byte[] big = new byte[40000];
        Arrays.fill(big, (byte) 'A');
        long[] out = out(32);
        byte[] s = small(KEY, APPID);
        int kl = KEY.length, il = IV.length, al = APPID.length;
        assertEquals(Native.NEED_SCRATCH, Native.decryptSteps(s, kl, il, al, big, big.length, 0, 0, 0, null, out, 32));
        assertEquals(Native.NEED_SCRATCH, Native.decryptStepsWithKeys(s, 1, new int[] {kl, 0, 0, 0}, il, al, big,
                big.length, 0, 0, 0, null, out, 32));
        assertEquals(Native.NEED_SCRATCH, Native.diagnose(s, kl, il, big, big.length, 0, null, out));
        byte[] scratch = new byte[(int) Native.scratchLen(big.length, true)];
        assertEquals(Status.DECRYPT_FAILED.code(), Native.decryptStepsWithKeys(s, 1, new int[] {kl, 0, 0, 0}, il, al,
                big, big.length, 0, 0, 0, scratch, out, 32));
        for (byte b : scratch) assertEquals(0, b, "the library wipes the scratch");
        scratch = new byte[(int) Native.scratchLen(big.length, false)];
        Arrays.fill(scratch, (byte) 1);
        assertEquals(Status.DECRYPT_FAILED.code(), Native.decryptSteps(s, kl, il, al, big, big.length, 0, 0, 0,
                scratch, out, 32));
        for (byte b : scratch) assertEquals(0, b, "the library wipes the scratch");
        assertEquals(Native.ABI_VERSION, Native.abiVersion());
        assertEquals(12345, Native.nop(12345));
    }
}
