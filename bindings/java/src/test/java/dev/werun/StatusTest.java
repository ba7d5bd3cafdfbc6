package dev.werun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The binding's tables against the vector file's and the header's: a status, diagnosis,
 * option flag or constant added to werun.h without the binding following fails here.
 */
class StatusTest {
    /** One exception class per status: the table the API must follow. */
    static final Map<Status, Class<? extends WerunException>> EXCEPTIONS = new EnumMap<>(Status.class);

    static {
        EXCEPTIONS.put(Status.NULL_ARGUMENT, NullArgumentException.class);
        EXCEPTIONS.put(Status.SESSION_KEY_INVALID, SessionKeyInvalidException.class);
        EXCEPTIONS.put(Status.IV_INVALID, IvInvalidException.class);
        EXCEPTIONS.put(Status.ENCRYPTED_DATA_INVALID, EncryptedDataInvalidException.class);
        EXCEPTIONS.put(Status.CIPHERTEXT_LENGTH, CiphertextLengthException.class);
        EXCEPTIONS.put(Status.BUFFER_TOO_SMALL, BufferTooSmallException.class);
        EXCEPTIONS.put(Status.DECRYPT_FAILED, DecryptFailedException.class);
        EXCEPTIONS.put(Status.APPID_MISMATCH, AppidMismatchException.class);
        EXCEPTIONS.put(Status.WATERMARK_EXPIRED, WatermarkExpiredException.class);
        EXCEPTIONS.put(Status.CAPACITY_EXCEEDED, CapacityExceededException.class);
        EXCEPTIONS.put(Status.INTERNAL, InternalException.class);
        EXCEPTIONS.put(Status.INVALID_ARGUMENT, InvalidArgumentException.class);
    }

    /** werun_status_wx_code as its documentation in werun.h states it. */
    static final Map<Status, Integer> WX_CODES = new EnumMap<>(Status.class);

    static {
        for (Status s : Status.values()) WX_CODES.put(s, -41003);
        WX_CODES.put(Status.OK, 0);
        WX_CODES.put(Status.SESSION_KEY_INVALID, -41001);
        WX_CODES.put(Status.IV_INVALID, -41002);
        WX_CODES.put(Status.ENCRYPTED_DATA_INVALID, -41004);
    }

    static String header() throws IOException {
        return new String(Files.readAllBytes(VectorFile.root().resolve("include/werun.h")), StandardCharsets.UTF_8);
    }

    static Map<String, Long> matches(String text, String regex) {
        Map<String, Long> found = new LinkedHashMap<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) found.put(m.group(1), Long.parseLong(m.group(2)));
        return found;
    }

    @Test
    void statusesAreTheVectorFilesByNameAndValue() {
        Map<String, Integer> file = new HashMap<>();
        for (VectorFile.NamedCode s : VectorFile.load().statuses) file.put(s.name, s.code);
        Map<String, Integer> java = new HashMap<>();
        for (Status s : Status.values()) java.put(s.name(), s.code());
        assertEquals(file, java);
    }

    @Test
    void statusesAreTheHeadersByNameAndValue() throws IOException {
        Map<String, Long> header = matches(header(), "WERUN_STATUS_(\\w+) = (\\d+),");
        assertTrue(header.size() >= 13, "parsed " + header);
        Map<String, Long> java = new LinkedHashMap<>();
        for (Status s : Status.values()) java.put(s.name(), (long) s.code());
        assertEquals(header, java);
    }

    @Test
    void diagnosesAreTheVectorFilesAndTheHeaders() throws IOException {
        Map<String, Integer> file = new HashMap<>();
        for (VectorFile.NamedCode d : VectorFile.load().diagnoses) file.put(d.name, d.code);
        Map<String, Long> header = matches(header(), "#define WERUN_DIAGNOSIS_(\\w+) (\\d+)");
        Map<String, Integer> java = new HashMap<>();
        Map<String, Long> javaLong = new LinkedHashMap<>();
        for (Diagnosis d : Diagnosis.values()) {
            java.put(d.name(), d.code());
            javaLong.put(d.name(), (long) d.code());
        }
        assertEquals(file, java);
        assertEquals(header, javaLong);
    }

    @Test
    void constantsAndFlagsAreTheHeaders() throws IOException {
        Map<String, Long> defines = matches(header(), "#define (WERUN_\\w+) (\\d+)");
        assertEquals((long) Native.ABI_VERSION, defines.get("WERUN_ABI_VERSION"));
        assertEquals((long) Werun.DEFAULT_CAPACITY, defines.get("WERUN_DEFAULT_CAPACITY"));
        assertEquals((long) Werun.MAX_CANDIDATE_KEYS, defines.get("WERUN_MAX_CANDIDATE_KEYS"));
        Map<String, Long> options = matches(header(), "#define WERUN_OPTION_(\\w+) (\\d+)");
        Map<String, Long> java = new LinkedHashMap<>();
        java.put("SKIP_APPID_CHECK", (long) Options.SKIP_APPID_CHECK);
        java.put("STRICT_BASE64", (long) Options.STRICT_BASE64);
        java.put("CHECK_FRESHNESS", (long) Options.CHECK_FRESHNESS);
        assertEquals(options, java);
    }

    /** The JNI glue's constants (werun_jni.c) equal Native's. */
    @Test
    void theGluesConstantsAreNatives() throws IOException {
        String c = new String(Files.readAllBytes(VectorFile.root().resolve("bindings/java/src/main/c/werun_jni.c")),
                StandardCharsets.UTF_8);
        Map<String, Long> d = matches(c, "#define (\\w+) \\(?(-?\\d+)\\)?");
        assertEquals((long) Native.JNI_VERSION, d.get("WERUN_JNI_VERSION"));
        assertEquals((long) Native.PIN_FAILED, d.get("JNI_PIN_FAILED"));
        assertEquals((long) Native.NEED_SCRATCH, d.get("JNI_NEED_SCRATCH"));
        assertEquals((long) Native.BAD_ARGUMENTS, d.get("JNI_BAD_ARGUMENTS"));
        assertEquals((long) Native.OUT_COUNT, d.get("OUT_COUNT"));
        assertEquals((long) Native.OUT_HAS_WATERMARK, d.get("OUT_HAS_WATERMARK"));
        assertEquals((long) Native.OUT_WATERMARK, d.get("OUT_WATERMARK"));
        assertEquals((long) Native.OUT_EXTRA, d.get("OUT_EXTRA"));
        assertEquals((long) Native.OUT_TAIL, d.get("OUT_TAIL"));
    }

    @Test
    void everyStatusHasItsOwnExceptionClass() {
        Set<Class<?>> seen = new HashSet<>();
        for (Status s : Status.values()) {
            if (s == Status.OK) {
                assertNull(EXCEPTIONS.get(s));
                continue;
            }
            WerunException e = WerunException.of(s.code());
            assertEquals(EXCEPTIONS.get(s), e.getClass(), s.name());
            assertTrue(seen.add(e.getClass()), s + " shares its class");
            assertEquals(s, e.status());
            assertEquals(s.code(), e.code());
            assertEquals(s.message(), e.getMessage());
            assertEquals((int) WX_CODES.get(s), e.wxCode(), s.name());
            assertTrue(Modifier.isFinal(e.getClass().getModifiers()), s.name());
            assertTrue(e instanceof RuntimeException, "unchecked");
        }
        assertEquals(Status.values().length - 1, seen.size());
    }

    @Test
    void messagesAndWxCodesComeFromTheLibrary() {
        Set<String> messages = new HashSet<>();
        for (Status s : Status.values()) {
            assertEquals(Native.statusMessage(s.code()), s.message());
            assertFalse(s.message().isEmpty(), s.name());
            assertTrue(messages.add(s.message()), s + " shares its message");
            assertEquals((int) WX_CODES.get(s), s.wxCode(), s.name());
            assertEquals(Native.statusWxCode(s.code()), s.wxCode());
        }
        Set<String> diagnoses = new HashSet<>();
        for (Diagnosis d : Diagnosis.values()) {
            assertFalse(d.message().isEmpty());
            assertTrue(diagnoses.add(d.message()), d + " shares its message");
        }
        assertTrue(Status.DECRYPT_FAILED.message().contains("session_key"), Status.DECRYPT_FAILED.message());
    }

    @Test
    void anUnknownStatusIsAnInternalErrorWithItsCode() {
        WerunException e = WerunException.of(1000);
        assertEquals(InternalException.class, e.getClass());
        assertEquals(Status.INTERNAL, e.status());
        assertEquals(1000, e.code());
        assertEquals(Native.statusMessage(1000), e.getMessage());
        assertNotNull(e.getMessage());
        assertNotEquals(Status.INTERNAL.message(), e.getMessage());
        assertEquals(-41003, e.wxCode());
        assertNull(Status.fromCode(13));
        assertNull(Status.fromCode(-1));
        assertNull(Diagnosis.fromCode(6));
        for (Status s : Status.values()) assertEquals(s, Status.fromCode(s.code()));
    }
}
