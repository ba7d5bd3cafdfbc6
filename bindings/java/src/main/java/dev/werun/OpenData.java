package dev.werun;

import java.util.OptionalLong;

/**
 * What {@link Werun#openData} found: the plaintext JSON (unparsed: read it with your JSON
 * library) and the watermark timestamp. {@link #toString()} does not show the JSON, which may
 * hold a phone number or other personal data.
 */
public final class OpenData {
    private final String json;
    private final boolean hasWatermark;
    private final long watermarkTimestamp;

    OpenData(String json, boolean hasWatermark, long watermarkTimestamp) {
        this.json = json;
        this.hasWatermark = hasWatermark;
        this.watermarkTimestamp = watermarkTimestamp;
    }

    /** The decrypted JSON document, as WeChat wrote it. */
    public String json() {
        return json;
    }

    /** The watermark's timestamp; empty only when the appid check was skipped and the payload
     *  had no watermark. */
    public OptionalLong watermarkTimestamp() {
        return hasWatermark ? OptionalLong.of(watermarkTimestamp) : OptionalLong.empty();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof OpenData)) return false;
        OpenData d = (OpenData) o;
        return d.json.equals(json) && d.watermarkTimestamp().equals(watermarkTimestamp());
    }

    @Override
    public int hashCode() {
        return json.hashCode() * 31 + watermarkTimestamp().hashCode();
    }

    @Override
    public String toString() {
        return "OpenData{json=<" + json.length() + " chars>, watermarkTimestamp=" + watermarkTimestamp() + "}";
    }
}
