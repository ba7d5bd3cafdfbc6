package dev.werun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.werun.VectorFile.KeysVector;
import dev.werun.VectorFile.Vector;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every vector of tests/vectors/werun.json through the public API (String, char[] and byte[]
 * overloads), in its own base64 mode and, where its inputs are canonical RFC 4648, in the
 * other mode too; every candidate-key vector; diagnose for every vector.
 */
class VectorsTest {
    static final VectorFile FILE = VectorFile.load();

    /** The vector's checks as Options, in the given base64 mode. */
    static Options options(Vector v, boolean strict) {
        Options o = v.appid == null ? Options.skipAppidCheck() : Options.forAppid(v.appid);
        if (v.now != null) {
            BigInteger maxAge = new BigInteger(v.maxAge);
            // Duration holds at most Long.MAX_VALUE seconds (~292 billion years): the same verdict.
            long seconds = maxAge.min(BigInteger.valueOf(Long.MAX_VALUE)).longValueExact();
            o = o.nowEpochSeconds(v.now).maxAge(Duration.ofSeconds(seconds));
        }
        if (strict) o = o.strictBase64();
        // The vector's output array: a limit only when it is not the default capacity (32), so
        // that the default (every entry) runs too; entries-33-over-capacity is checked below.
        if (v.capacity != Werun.DEFAULT_CAPACITY) o = o.maxSteps(v.capacity);
        return o;
    }

    static boolean canonical(String text) {
        try {
            return Base64.getEncoder().encodeToString(Base64.getDecoder().decode(text)).equals(text);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Modes to run a vector in: its own, and the other one when that cannot change the result. */
    static List<Boolean> modes(Vector v) {
        List<Boolean> modes = new ArrayList<>();
        modes.add(v.strictBase64);
        if (canonical(v.sessionKey) && canonical(v.iv) && canonical(v.encryptedData)) modes.add(!v.strictBase64);
        return modes;
    }

    /** What the vector file says, with the API's differences: it sizes its own scratch, and
     *  by default returns every entry, however many. */
    static String expectedStatus(Vector v) {
        if (v.scratchLen != null) return "OK"; // a scratch-size vector: ample here
        if (v.capacity == Werun.DEFAULT_CAPACITY && v.expect.status.equals("CAPACITY_EXCEEDED")) return "OK";
        return v.expect.status;
    }

    static Status status(String name) {
        return Status.valueOf(name);
    }

    static void assertSteps(List<long[]> want, WeRunData got, String id) {
        assertEquals(want.size(), got.size(), id + ": entries");
        for (int i = 0; i < want.size(); i++) {
            assertEquals(want.get(i)[0], got.timestamp(i), id + ": timestamp " + i);
            assertEquals(want.get(i)[1], got.step(i), id + ": step " + i);
            assertEquals(new Step(want.get(i)[0], want.get(i)[1]), got.steps().get(i), id);
        }
    }

    static OptionalLong watermark(Long ts) {
        return ts == null ? OptionalLong.empty() : OptionalLong.of(ts);
    }

    /** Runs `call` and checks the exception's class, status and message. */
    static void assertFailure(String statusName, Supplier<?> call, String id) {
        Status want = status(statusName);
        WerunException e = assertThrows(WerunException.class, call::get, id + ": expected " + statusName);
        assertEquals(want, e.status(), id);
        assertEquals(StatusTest.EXCEPTIONS.get(want), e.getClass(), id);
        assertEquals(want.message(), e.getMessage(), id);
    }

    @TestFactory
    Stream<DynamicTest> everyVector() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Vector v : FILE.vectors) {
            for (boolean strict : modes(v)) {
                tests.add(dynamicTest(v.id + (strict ? " [strict base64]" : " [repairing base64]"),
                        () -> check(v, strict)));
            }
        }
        assertTrue(tests.size() > FILE.vectors.size() + 50, "the other base64 mode ran for few vectors");
        assertTrue(FILE.vectors.stream().anyMatch(v -> v.strictBase64), "no strict vector");
        return tests.stream();
    }

    static void check(Vector v, boolean strict) {
        Options o = options(v, strict);
        String want = expectedStatus(v);
        String id = v.id;
        if (v.api.equals("steps")) {
            Supplier<WeRunData> viaString = () -> Werun.decryptSteps(v.sessionKey, v.iv, v.encryptedData, o);
            Supplier<WeRunData> viaChars = () -> Werun.decryptSteps(v.sessionKey.toCharArray(), v.iv, v.encryptedData, o);
            Supplier<WeRunData> viaBytes = () -> Werun.decryptSteps(v.sessionKey.getBytes(StandardCharsets.UTF_8),
                    v.iv.getBytes(StandardCharsets.UTF_8), v.encryptedData.getBytes(StandardCharsets.UTF_8), o);
            Supplier<WeRunData> viaKeys = () -> Werun.decryptSteps(java.util.Collections.singletonList(v.sessionKey),
                    v.iv, v.encryptedData, o);
            if (!want.equals("OK")) {
                for (Supplier<WeRunData> call : java.util.Arrays.asList(viaString, viaChars, viaBytes, viaKeys)) {
                    assertFailure(want, call, id);
                }
            } else {
                WeRunData got = viaString.get();
                if (v.expect.status.equals("OK")) {
                    assertSteps(v.expect.steps, got, id);
                    assertEquals(watermark(v.expect.watermarkTimestamp), got.watermarkTimestamp(), id);
                } else if (v.scratchLen != null) {
                    assertSteps(FILE.sample.expect.steps, got, id); // the sample's data
                } else {
                    assertTrue(got.size() > Werun.DEFAULT_CAPACITY, id + ": " + got.size() + " entries");
                    assertTrue(got.watermarkTimestamp().isPresent(), id);
                }
                assertEquals(0, got.keyIndex(), id);
                assertEquals(got, viaChars.get(), id + " (char[])");
                assertEquals(got, viaBytes.get(), id + " (byte[])");
                assertEquals(got, viaKeys.get(), id + " (one candidate key)");
            }
        } else if (v.api.equals("open_data")) {
            if (!want.equals("OK")) {
                assertFailure(want, () -> Werun.openData(v.sessionKey, v.iv, v.encryptedData, o), id);
                assertFailure(want, () -> Werun.openData(v.sessionKey.toCharArray(), v.iv, v.encryptedData, o), id);
            } else {
                OpenData got = Werun.openData(v.sessionKey, v.iv, v.encryptedData, o);
                assertEquals(v.expect.json, got.json(), id);
                assertEquals(watermark(v.expect.watermarkTimestamp), got.watermarkTimestamp(), id);
                assertEquals(got, Werun.openData(v.sessionKey.toCharArray(), v.iv, v.encryptedData, o), id);
                byte[] data = v.encryptedData.getBytes(StandardCharsets.UTF_8);
                byte[] before = data.clone();
                assertEquals(got, Werun.openData(v.sessionKey.getBytes(StandardCharsets.UTF_8),
                        v.iv.getBytes(StandardCharsets.UTF_8), data, o), id);
                assertArrayEquals(before, data, id + ": the caller's array was written");
            }
        } else {
            fail(id + ": unknown api " + v.api);
        }

        // Diagnose: the likely cause, or (null) the status of inputs that cannot be decrypted.
        if (v.scratchLen != null) return; // the vector's diagnosis is for its undersized scratch
        if (v.expect.diagnosis == null) {
            assertFailure(v.expect.status, () -> Werun.diagnose(v.sessionKey, v.iv, v.encryptedData, strict), id);
        } else {
            assertEquals(Diagnosis.valueOf(v.expect.diagnosis), Werun.diagnose(v.sessionKey, v.iv, v.encryptedData,
                    strict), id + ": diagnosis");
        }
    }

    @TestFactory
    Stream<DynamicTest> everyKeysVector() {
        assertTrue(FILE.keysVectors.size() >= 5);
        return FILE.keysVectors.stream().map(v -> dynamicTest(v.id, () -> checkKeys(v)));
    }

    static void checkKeys(KeysVector v) {
        Options o = v.appid == null ? Options.skipAppidCheck() : Options.forAppid(v.appid);
        if (!v.expect.status.equals("OK")) {
            assertFailure(v.expect.status, () -> Werun.decryptSteps(v.sessionKeys, v.iv, v.encryptedData, o), v.id);
            return;
        }
        WeRunData got = Werun.decryptSteps(v.sessionKeys, v.iv, v.encryptedData, o);
        assertSteps(v.expect.steps, got, v.id);
        assertEquals(watermark(v.expect.watermarkTimestamp), got.watermarkTimestamp(), v.id);
        assertNotNull(v.expect.keyIndex, v.id);
        assertEquals((int) v.expect.keyIndex, got.keyIndex(), v.id);
        // char[] keys through CharBuffer.wrap: the same.
        List<CharSequence> wrapped = new ArrayList<>();
        for (String k : v.sessionKeys) wrapped.add(java.nio.CharBuffer.wrap(k.toCharArray()));
        assertEquals(got, Werun.decryptSteps(wrapped, v.iv, v.encryptedData, o), v.id);
    }

    @Test
    void theSampleIs31Entries() {
        Vector s = FILE.sample;
        WeRunData data = Werun.decryptSteps(s.sessionKey, s.iv, s.encryptedData, Options.forAppid(s.appid));
        assertEquals(31, data.size());
        assertSteps(s.expect.steps, data, "sample");
    }

    @Test
    void moreEntriesThanTheDefaultCapacityAreAllReturnedUnlessLimited() {
        Vector v = FILE.vectors.stream().filter(x -> x.id.equals("entries-33-over-capacity")).findFirst().get();
        Options o = Options.forAppid(v.appid);
        assertEquals(33, Werun.decryptSteps(v.sessionKey, v.iv, v.encryptedData, o).size());
        assertEquals(33, Werun.decryptSteps(v.sessionKey.getBytes(StandardCharsets.UTF_8),
                v.iv.getBytes(StandardCharsets.UTF_8), v.encryptedData.getBytes(StandardCharsets.UTF_8), o).size());
        assertEquals(33, Werun.decryptSteps(java.util.Arrays.asList("AAAAAAAAAAAAAAAAAAAAAA==", v.sessionKey), v.iv,
                v.encryptedData, o).size());
        assertEquals(33, Werun.decryptSteps(v.sessionKey, v.iv, v.encryptedData, o.maxSteps(33)).size());
        assertEquals(33, Werun.decryptSteps(v.sessionKey, v.iv, v.encryptedData, o.maxSteps(1000)).size());
        for (int limit : new int[] {0, 31, 32}) {
            assertFailure("CAPACITY_EXCEEDED",
                    () -> Werun.decryptSteps(v.sessionKey, v.iv, v.encryptedData, o.maxSteps(limit)), "limit " + limit);
            assertFailure("CAPACITY_EXCEEDED", () -> Werun.decryptSteps(java.util.Collections.singletonList(
                    v.sessionKey), v.iv, v.encryptedData, o.maxSteps(limit)), "keys, limit " + limit);
        }
    }
}
