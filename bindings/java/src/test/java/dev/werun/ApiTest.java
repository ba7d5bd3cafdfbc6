package dev.werun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.werun.VectorFile.Vector;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Arguments (null, wrong lengths, huge and non-ASCII text), options and result types. */
class ApiTest {
    static final Vector S = VectorFile.load().sample;
    static final Options APPID = Options.forAppid(S.appid);

    static void assertStatus(Class<? extends WerunException> want, Executable call) {
        WerunException e = assertThrows(WerunException.class, call);
        assertEquals(want, e.getClass(), e.getMessage());
    }

    @Test
    void nullArgumentsAreNullPointerExceptionsNamingTheArgument() {
        List<String> keys = Collections.singletonList(S.sessionKey);
        Executable[] calls = {
            () -> Werun.decryptSteps((String) null, S.iv, S.encryptedData, APPID),
            () -> Werun.decryptSteps(S.sessionKey, null, S.encryptedData, APPID),
            () -> Werun.decryptSteps(S.sessionKey, S.iv, null, APPID),
            () -> Werun.decryptSteps(S.sessionKey, S.iv, S.encryptedData, null),
            () -> Werun.decryptSteps((char[]) null, S.iv, S.encryptedData, APPID),
            () -> Werun.decryptSteps((byte[]) null, new byte[0], new byte[0], APPID),
            () -> Werun.decryptSteps(new byte[0], null, new byte[0], APPID),
            () -> Werun.decryptSteps(new byte[0], new byte[0], null, APPID),
            () -> Werun.decryptSteps(new byte[0], new byte[0], new byte[0], null),
            () -> Werun.decryptSteps((List<String>) null, S.iv, S.encryptedData, APPID),
            () -> Werun.decryptSteps(Arrays.asList(S.sessionKey, null), S.iv, S.encryptedData, APPID),
            () -> Werun.decryptSteps(keys, null, S.encryptedData, APPID),
            () -> Werun.decryptSteps(keys, S.iv, null, APPID),
            () -> Werun.decryptSteps(keys, S.iv, S.encryptedData, null),
            () -> Werun.openData((String) null, S.iv, S.encryptedData, APPID),
            () -> Werun.openData(S.sessionKey, S.iv, S.encryptedData, null),
            () -> Werun.openData((char[]) null, S.iv, S.encryptedData, APPID),
            () -> Werun.openData(new byte[0], new byte[0], null, APPID),
            () -> Werun.diagnose(null, S.iv, S.encryptedData),
            () -> Werun.diagnose(S.sessionKey, null, S.encryptedData),
            () -> Werun.diagnose(S.sessionKey, S.iv, null),
            () -> Options.forAppid(null),
            () -> APPID.maxAge(null),
            () -> APPID.now(null),
        };
        for (Executable call : calls) {
            NullPointerException e = assertThrows(NullPointerException.class, call);
            assertTrue(e.getMessage() != null && !e.getMessage().isEmpty(), "no argument name");
        }
    }

    @Test
    void wrongLengthsAreTheirStatuses() {
        String key15 = "AQEBAQEBAQEBAQEBAQEB"; // 15 bytes
        assertStatus(SessionKeyInvalidException.class, () -> Werun.decryptSteps(key15, S.iv, S.encryptedData, APPID));
        assertStatus(SessionKeyInvalidException.class, () -> Werun.decryptSteps("", S.iv, S.encryptedData, APPID));
        assertStatus(IvInvalidException.class, () -> Werun.decryptSteps(S.sessionKey, key15, S.encryptedData, APPID));
        assertStatus(IvInvalidException.class, () -> Werun.decryptSteps(S.sessionKey, "", S.encryptedData, APPID));
        assertStatus(CiphertextLengthException.class, () -> Werun.decryptSteps(S.sessionKey, S.iv, "", APPID));
        assertStatus(CiphertextLengthException.class, () -> Werun.decryptSteps(S.sessionKey, S.iv, key15, APPID));
        assertStatus(SessionKeyInvalidException.class, () -> Werun.diagnose(key15, S.iv, S.encryptedData));
        assertStatus(SessionKeyInvalidException.class,
                () -> Werun.decryptSteps(Arrays.asList(S.sessionKey, key15), S.iv, S.encryptedData, APPID));
    }

    @Test
    void nonAsciiTextIsInvalidWhateverTheCharacter() {
        // A character that is not ASCII, even one whose low byte is a base64 letter ('ŉ' is
        // U+0149, low byte 'I'), is never base64.
        for (char c : new char[] {'é', 'ŉ', '中', '\u0100' + 'A', '\uFF21'}) {
            String key = c + S.sessionKey.substring(1);
            String data = c + S.encryptedData.substring(1);
            assertStatus(SessionKeyInvalidException.class, () -> Werun.decryptSteps(key, S.iv, S.encryptedData, APPID));
            assertStatus(SessionKeyInvalidException.class,
                    () -> Werun.decryptSteps(key.toCharArray(), S.iv, S.encryptedData, APPID));
            assertStatus(SessionKeyInvalidException.class,
                    () -> Werun.decryptSteps(Collections.singletonList(key), S.iv, S.encryptedData, APPID));
            assertStatus(IvInvalidException.class,
                    () -> Werun.decryptSteps(S.sessionKey, c + S.iv.substring(1), S.encryptedData, APPID));
            assertStatus(EncryptedDataInvalidException.class,
                    () -> Werun.decryptSteps(S.sessionKey, S.iv, data, APPID));
            assertStatus(EncryptedDataInvalidException.class, () -> Werun.openData(S.sessionKey, S.iv, data, APPID));
            assertStatus(EncryptedDataInvalidException.class, () -> Werun.diagnose(S.sessionKey, S.iv, data));
        }
    }

    static String repeat(char c, int n) {
        char[] a = new char[n];
        Arrays.fill(a, c);
        return new String(a);
    }

    @Test
    void hugeTextIsHandledWithoutNativeScratchOfItsOwn() {
        // 16 MiB of zero bytes as base64: decrypts (to garbage) and fails as DECRYPT_FAILED, in
        // place, through the candidate-key path's heap scratch (over the JNI stack buffer) and
        // through diagnose's.
        String huge = repeat('A', 16 * 1024 * 1024 / 3 * 4 / 64 * 64);
        assertStatus(DecryptFailedException.class, () -> Werun.decryptSteps(S.sessionKey, S.iv, huge, APPID));
        assertStatus(DecryptFailedException.class,
                () -> Werun.decryptSteps(Arrays.asList(S.sessionKey, S.sessionKey), S.iv, huge, APPID));
        assertStatus(DecryptFailedException.class, () -> Werun.openData(S.sessionKey, S.iv, huge, APPID));
        Diagnosis d = Werun.diagnose(S.sessionKey, S.iv, huge);
        assertTrue(d != Diagnosis.WERUN_DATA, d.name());
        // Huge keys and ivs fail as what they are, before any decryption.
        String hugeKey = repeat('A', 4 * 1024 * 1024);
        assertStatus(SessionKeyInvalidException.class, () -> Werun.decryptSteps(hugeKey, S.iv, huge, APPID));
        assertStatus(IvInvalidException.class, () -> Werun.decryptSteps(S.sessionKey, hugeKey, S.encryptedData, APPID));
        // And a huge valid payload: the sample with 1 MiB of line breaks (repaired by default).
        StringBuilder spaced = new StringBuilder();
        for (char c : S.encryptedData.toCharArray()) spaced.append(c).append(repeat('\n', 700));
        String big = spaced.toString();
        assertEquals(31, Werun.decryptSteps(S.sessionKey, S.iv, big, APPID).size());
        assertEquals(31, Werun.decryptSteps(Collections.singletonList(S.sessionKey), S.iv, big, APPID).size());
        assertEquals(Diagnosis.WERUN_DATA, Werun.diagnose(S.sessionKey, S.iv, big));
        assertStatus(EncryptedDataInvalidException.class,
                () -> Werun.decryptSteps(S.sessionKey, S.iv, big, APPID.strictBase64()));
    }

    @Test
    void candidateKeysNeedOneToFour() {
        List<String> five = Collections.nCopies(5, S.sessionKey);
        assertStatus(InvalidArgumentException.class, () -> Werun.decryptSteps(five, S.iv, S.encryptedData, APPID));
        assertStatus(InvalidArgumentException.class,
                () -> Werun.decryptSteps(Collections.<String>emptyList(), S.iv, S.encryptedData, APPID));
        List<String> four = Arrays.asList("AAAAAAAAAAAAAAAAAAAAAA==", "AQAAAAAAAAAAAAAAAAAAAA==",
                "AgAAAAAAAAAAAAAAAAAAAA==", S.sessionKey);
        WeRunData d = Werun.decryptSteps(four, S.iv, S.encryptedData, APPID);
        assertEquals(3, d.keyIndex());
        assertEquals(31, d.size());
        assertStatus(DecryptFailedException.class,
                () -> Werun.decryptSteps(four.subList(0, 3), S.iv, S.encryptedData, APPID));
    }

    @Test
    void theCallersArraysAreNeverWritten() {
        char[] key = S.sessionKey.toCharArray();
        Werun.decryptSteps(key, S.iv, S.encryptedData, APPID);
        assertArrayEquals(S.sessionKey.toCharArray(), key);
        byte[] k = S.sessionKey.getBytes(StandardCharsets.US_ASCII);
        byte[] iv = S.iv.getBytes(StandardCharsets.US_ASCII);
        byte[] data = S.encryptedData.getBytes(StandardCharsets.US_ASCII);
        assertEquals(31, Werun.decryptSteps(k, iv, data, APPID).size());
        assertEquals(31, Werun.decryptSteps(k, iv, data, APPID).size()); // twice: unchanged
        assertArrayEquals(S.encryptedData.getBytes(StandardCharsets.US_ASCII), data);
        assertArrayEquals(S.sessionKey.getBytes(StandardCharsets.US_ASCII), k);
        char[] wrapped = S.sessionKey.toCharArray();
        Werun.decryptSteps(Collections.singletonList(CharBuffer.wrap(wrapped)), S.iv, S.encryptedData, APPID);
        assertArrayEquals(S.sessionKey.toCharArray(), wrapped);
    }

    @Test
    void optionsAreCheckedWhereTheyAreWritten() {
        assertThrows(IllegalArgumentException.class, () -> APPID.maxAge(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> APPID.maxSteps(-1));
        // now without maxAge means nothing: refused at the call.
        Options nowOnly = APPID.now(Instant.ofEpochSecond(1717201234L));
        assertThrows(IllegalArgumentException.class, () -> Werun.decryptSteps(S.sessionKey, S.iv, S.encryptedData, nowOnly));
        // Immutable: a derived Options leaves the first as it was.
        Options strict = APPID.strictBase64();
        assertFalse(APPID.isStrictBase64());
        assertTrue(strict.isStrictBase64());
        assertEquals(S.appid, strict.appid());
        assertEquals(-1, APPID.maxSteps());
        assertEquals(null, Options.skipAppidCheck().appid());
        assertTrue(APPID.toString().contains(S.appid));
    }

    @Test
    void freshnessUsesTheClockUnlessNowIsGiven() {
        long wm = S.expect.watermarkTimestamp;
        Options fresh = APPID.maxAge(Duration.ofMinutes(10));
        // The sample's watermark is from 2024: stale by the clock.
        assertStatus(WatermarkExpiredException.class, () -> Werun.decryptSteps(S.sessionKey, S.iv, S.encryptedData, fresh));
        assertEquals(31, Werun.decryptSteps(S.sessionKey, S.iv, S.encryptedData,
                fresh.now(Instant.ofEpochSecond(wm + 600))).size());
        assertStatus(WatermarkExpiredException.class, () -> Werun.decryptSteps(S.sessionKey, S.iv, S.encryptedData,
                fresh.now(Instant.ofEpochSecond(wm + 601))));
        assertStatus(WatermarkExpiredException.class, () -> Werun.decryptSteps(S.sessionKey, S.iv, S.encryptedData,
                fresh.nowEpochSeconds(wm - 1)));
        // The whole seconds of a Duration; a fraction is dropped.
        assertStatus(WatermarkExpiredException.class, () -> Werun.decryptSteps(S.sessionKey, S.iv, S.encryptedData,
                APPID.maxAge(Duration.ofMillis(1999)).nowEpochSeconds(wm + 2)));
        assertEquals(31, Werun.decryptSteps(S.sessionKey, S.iv, S.encryptedData,
                APPID.maxAge(Duration.ofSeconds(Long.MAX_VALUE))).size());
        assertStatus(WatermarkExpiredException.class, () -> Werun.openData(S.sessionKey, S.iv, S.encryptedData, fresh));
    }

    @Test
    void appidCheckSkippedOnlyWhenWrittenOut() {
        assertStatus(AppidMismatchException.class, () -> Werun.decryptSteps(S.sessionKey, S.iv, S.encryptedData,
                Options.forAppid("")));
        assertStatus(AppidMismatchException.class, () -> Werun.decryptSteps(S.sessionKey, S.iv, S.encryptedData,
                Options.forAppid(S.appid + " ")));
        assertEquals(31, Werun.decryptSteps(S.sessionKey, S.iv, S.encryptedData, Options.skipAppidCheck()).size());
    }

    @Test
    void resultsAreImmutableValues() {
        WeRunData d = Werun.decryptSteps(S.sessionKey, S.iv, S.encryptedData, APPID);
        List<Step> steps = d.steps();
        assertThrows(UnsupportedOperationException.class, () -> steps.add(new Step(0, 0)));
        assertThrows(UnsupportedOperationException.class, () -> steps.set(0, new Step(0, 0)));
        assertThrows(IndexOutOfBoundsException.class, () -> d.step(31));
        assertThrows(IndexOutOfBoundsException.class, () -> d.timestamp(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> steps.get(31));
        assertEquals(OptionalLong.of(S.expect.watermarkTimestamp), d.watermarkTimestamp());
        WeRunData again = Werun.decryptSteps(S.sessionKey, S.iv, S.encryptedData, APPID);
        assertEquals(d, again);
        assertEquals(d.hashCode(), again.hashCode());
        assertEquals(steps, again.steps());
        assertTrue(d.toString().startsWith("WeRunData{steps=[Step{timestamp=1714579200, step=9987}"), d.toString());
        OpenData o = Werun.openData(S.sessionKey, S.iv, S.encryptedData, APPID);
        assertFalse(o.toString().contains("stepInfoList"), "toString shows the plaintext");
        assertTrue(o.json().startsWith("{\"stepInfoList\""));
    }

    @Test
    void stepsAreUnsigned32BitValues() {
        Vector v = VectorFile.load().vectors.stream().filter(x -> x.id.equals("extreme-values")).findFirst().get();
        WeRunData d = Werun.decryptSteps(v.sessionKey, v.iv, v.encryptedData, Options.forAppid(v.appid));
        boolean sawMax = false;
        for (Step s : d.steps()) {
            assertTrue(s.step() >= 0 && s.step() <= 0xFFFFFFFFL);
            sawMax |= s.step() == 0xFFFFFFFFL;
        }
        assertTrue(sawMax);
    }

    @Test
    void theLibraryIdentifiesItself() {
        assertTrue(Werun.isAvailable());
        assertEquals(null, Werun.unavailabilityCause());
        Werun.ensureAvailable();
        assertEquals(Werun.version(), Werun.libraryVersion(), "the jar and its library are one version");
        assertTrue(Werun.libraryPath().startsWith("jar:dev/werun/native/linux-"), Werun.libraryPath());
    }
}
