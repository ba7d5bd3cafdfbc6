package dev.werun;

import com.google.gson.Gson;
import com.google.gson.annotations.SerializedName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/** tests/vectors/werun.json, the vectors every language's tests read. */
final class VectorFile {
    List<NamedCode> statuses;
    List<NamedCode> diagnoses;
    Vector sample;
    List<Vector> vectors;

    @SerializedName("keys_vectors")
    List<KeysVector> keysVectors;

    static final class NamedCode {
        int code;
        String name;
    }

    static final class Expect {
        String status;
        List<long[]> steps;
        @SerializedName("watermark_timestamp")
        Long watermarkTimestamp;
        String json;
        String diagnosis;
        @SerializedName("key_index")
        Integer keyIndex;
    }

    static class Vector {
        String id;
        String description;
        String api;
        @SerializedName("session_key")
        String sessionKey;
        String iv;
        @SerializedName("encrypted_data")
        String encryptedData;
        String appid;
        Long now;
        @SerializedName("max_age")
        String maxAge; // a u64: may exceed Long.MAX_VALUE
        @SerializedName("strict_base64")
        boolean strictBase64;
        int capacity;
        @SerializedName("scratch_len")
        Integer scratchLen;
        Expect expect;

        @Override
        public String toString() {
            return id;
        }
    }

    static final class KeysVector {
        String id;
        String description;
        @SerializedName("session_keys")
        List<String> sessionKeys;
        String iv;
        @SerializedName("encrypted_data")
        String encryptedData;
        String appid;
        Expect expect;

        @Override
        public String toString() {
            return id;
        }
    }

    static Path root() {
        String root = System.getProperty("werun.root");
        if (root == null) throw new IllegalStateException("no -Dwerun.root (run the tests with Maven)");
        return Paths.get(root);
    }

    private static VectorFile loaded;

    static synchronized VectorFile load() {
        if (loaded == null) {
            Path file = root().resolve("tests/vectors/werun.json");
            try {
                loaded = new Gson().fromJson(new String(Files.readAllBytes(file), StandardCharsets.UTF_8),
                        VectorFile.class);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + file, e);
            }
            if (loaded.vectors == null || loaded.vectors.size() < 100) {
                throw new IllegalStateException(file + " has too few vectors");
            }
        }
        return loaded;
    }
}
