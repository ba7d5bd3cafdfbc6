package dev.werun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    static long[] out(int capacity) {
        long[] out = new long[2 * capacity + Native.OUT_TAIL + 2]; // two more slots: never written
        Arrays.fill(out, PATTERN);
        return out;
    }

    @Test
    void successWritesTheStepsAndSummaryAndNothingElse() {
        long[] out = out(32);
        byte[] data = data();
        assertEquals(0, Native.decryptStepsInPlace(KEY, KEY.length, IV, IV.length, data, data.length, APPID, 0, 0, 0,
                out, 32));
        assertEquals(31, out[64 + Native.OUT_COUNT]);
        assertEquals(1, out[64 + Native.OUT_HAS_WATERMARK]);
        assertEquals((long) S.expect.watermarkTimestamp, out[64 + Native.OUT_WATERMARK]);
        for (int i = 0; i < 31; i++) {
            assertEquals(S.expect.steps.get(i)[0], out[2 * i]);
            assertEquals(S.expect.steps.get(i)[1], out[2 * i + 1], "the step widened with zeros");
        }
        assertEquals(PATTERN, out[out.length - 1]);
        assertEquals(PATTERN, out[out.length - 2]);
        // In place: the decoded part of the copy holds zeros, no plaintext.
        int decoded = S.encryptedData.length() / 4 * 3 - 4;
        for (int i = 0; i < decoded; i++) assertEquals(0, data[i], "byte " + i);
    }

    @Test
    void failureZeroesTheStepsAndLeavesTheSummaryAlone() {
        long[] out = out(32);
        byte[] data = data();
        byte[] other = "wx0000000000000000".getBytes(StandardCharsets.UTF_8);
        assertEquals(Status.APPID_MISMATCH.code(), Native.decryptStepsInPlace(KEY, KEY.length, IV, IV.length, data,
                data.length, other, 0, 0, 0, out, 32));
        for (int i = 0; i < 64; i++) assertEquals(0, out[i], "slot " + i);
        for (int i = 64; i < out.length; i++) assertEquals(PATTERN, out[i], "slot " + i);
        long[] keysOut = out(32);
        byte[] keys = (S.sessionKey + S.sessionKey).getBytes(StandardCharsets.US_ASCII);
        data = data();
        assertEquals(Status.APPID_MISMATCH.code(), Native.decryptStepsWithKeys(keys, 2, KEY.length, KEY.length, 0, 0,
                IV, IV.length, data, data.length, other, 0, 0, 0, null, keysOut, 32));
        for (int i = 0; i < 64; i++) assertEquals(0, keysOut[i], "slot " + i);
        for (int i = 64; i < keysOut.length; i++) assertEquals(PATTERN, keysOut[i], "slot " + i);
        assertTrue(Arrays.equals(data(), data), "the candidate-key call only reads the data");
    }

    @Test
    void lengthsOutOfRangeAreRefusedBeforeAnythingIsPinned() {
        byte[] d = data();
        long[] out = out(32);
        int bad = Native.BAD_ARGUMENTS;
        assertEquals(bad, Native.decryptStepsInPlace(KEY, KEY.length + 1, IV, IV.length, d, d.length, APPID, 0, 0, 0, out, 32));
        assertEquals(bad, Native.decryptStepsInPlace(KEY, -1, IV, IV.length, d, d.length, APPID, 0, 0, 0, out, 32));
        assertEquals(bad, Native.decryptStepsInPlace(KEY, KEY.length, IV, IV.length, d, d.length + 1, APPID, 0, 0, 0, out, 32));
        assertEquals(bad, Native.decryptStepsInPlace(KEY, KEY.length, IV, IV.length, d, d.length, APPID, 0, 0, 0, out, 34));
        assertEquals(bad, Native.decryptStepsInPlace(KEY, KEY.length, IV, IV.length, d, d.length, APPID, 0, 0, 0, null, 0));
        assertEquals(bad, Native.decryptStepsInPlace(null, 0, IV, IV.length, d, d.length, APPID, 0, 0, 0, out, 32));
        assertEquals(bad, Native.decryptStepsWithKeys(KEY, 5, 24, 0, 0, 0, IV, IV.length, d, d.length, APPID, 0, 0, 0,
                null, out, 32));
        assertEquals(bad, Native.decryptStepsWithKeys(KEY, 2, 24, 1, 0, 0, IV, IV.length, d, d.length, APPID, 0, 0, 0,
                null, out, 32));
        assertEquals(bad, Native.decryptStepsWithKeys(KEY, 1, -1, 0, 0, 0, IV, IV.length, d, d.length, APPID, 0, 0, 0,
                null, out, 32));
        assertEquals(bad, Native.openDataInPlace(KEY, KEY.length, IV, IV.length + 1, d, d.length, APPID, 0, 0, 0, out));
        assertEquals(bad, Native.diagnose(KEY, KEY.length, IV, IV.length, d, d.length + 1, 0, null, new long[4]));
        assertEquals(bad, Native.diagnose(KEY, KEY.length, IV, IV.length, d, d.length, 0, null, new long[3]));
        assertTrue(Arrays.equals(data(), d), "nothing was decoded");
        // The library's own checks still apply behind the JNI layer's: unknown flags.
        assertEquals(Status.INVALID_ARGUMENT.code(), Native.decryptStepsInPlace(KEY, KEY.length, IV, IV.length, d,
                d.length, APPID, 64, 0, 0, out, 32));
    }

    @Test
    void aBigPayloadAsksForAScratchArray() {
        byte[] big = new byte[40000];
        Arrays.fill(big, (byte) 'A');
        long[] out = out(32);
        assertEquals(Native.NEED_SCRATCH, Native.decryptStepsWithKeys(KEY, 1, KEY.length, 0, 0, 0, IV, IV.length, big,
                big.length, APPID, 0, 0, 0, null, out, 32));
        assertEquals(Native.NEED_SCRATCH, Native.diagnose(KEY, KEY.length, IV, IV.length, big, big.length, 0, null, out));
        byte[] scratch = new byte[(int) Native.scratchLen(big.length, true)];
        assertEquals(Status.DECRYPT_FAILED.code(), Native.decryptStepsWithKeys(KEY, 1, KEY.length, 0, 0, 0, IV,
                IV.length, big, big.length, APPID, 0, 0, 0, scratch, out, 32));
        for (byte b : scratch) assertEquals(0, b, "the library wipes the scratch");
        assertEquals(Native.abiVersion(), Native.ABI_VERSION);
        assertEquals(12345, Native.nop(12345));
    }
}
