package ai.lipsync.tts;

import java.util.Locale;
import java.util.Optional;

/**
 * Decides whether a TTS answer is audio, and which. Services that fail often still answer 200 with
 * an HTML login page or a JSON error; a content type alone is not trusted when it is generic. The
 * one place that reads audio magic bytes.
 */
public final class AudioSniffer {
    private static final int LAYER_III = 0b01;

    private AudioSniffer() {
    }

    /** The media type to record for {@code body}, or empty when it is not audio. */
    static Optional<String> audioType(String declared, byte[] body) {
        String type = declared == null ? "" : declared.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (type.startsWith("audio/") || type.equals("application/ogg")) {
            return Optional.of(type);
        }
        if (type.isEmpty() || type.equals("application/octet-stream") || type.equals("binary/octet-stream")) {
            return sniff(body);
        }
        return Optional.empty();
    }

    /** Recognises the containers TTS services send by their magic bytes. */
    static Optional<String> sniff(byte[] b) {
        if (startsWith(b, "RIFF") && b.length >= 12 && new String(b, 8, 4, java.nio.charset.StandardCharsets.US_ASCII).equals("WAVE")) {
            return Optional.of("audio/wav");
        }
        if (startsWith(b, "ID3")) {
            return Optional.of("audio/mpeg");
        }
        int layer = mpegLayerBits(b);
        if (layer > 0) {
            return Optional.of("audio/mpeg");
        }
        // ADTS shares the sync word but has a 12-bit sync and layer 00; "audio/mpeg" would send AAC to an MP3 path
        if (layer == 0 && (b[1] & 0xF0) == 0xF0) {
            return Optional.of("audio/aac");
        }
        if (startsWith(b, "OggS")) {
            return Optional.of("audio/ogg");
        }
        if (startsWith(b, "fLaC")) {
            return Optional.of("audio/flac");
        }
        return Optional.empty();
    }

    /**
     * True for an ID3-tagged file or a bare MPEG audio Layer III frame. The magic bytes decide, not
     * the declared content type, which services get wrong ("audio/mpeg" for AAC, "binary/octet-stream").
     */
    public static boolean isMp3(byte[] audio) {
        return startsWith(audio, "ID3") || mpegLayerBits(audio) == LAYER_III;
    }

    /**
     * The two layer bits of an MPEG audio frame header (01 = Layer III, 10 = II, 11 = I, 00 = not
     * MPEG audio: ADTS uses it), or -1 without the 11-bit frame sync.
     */
    private static int mpegLayerBits(byte[] b) {
        if (b.length < 2 || (b[0] & 0xFF) != 0xFF || (b[1] & 0xE0) != 0xE0) {
            return -1;
        }
        return (b[1] >> 1) & 0b11;
    }

    private static boolean startsWith(byte[] b, String magic) {
        if (b.length < magic.length()) {
            return false;
        }
        for (int i = 0; i < magic.length(); i++) {
            if (b[i] != (byte) magic.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
