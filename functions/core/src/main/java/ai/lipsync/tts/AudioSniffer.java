package ai.lipsync.tts;

import java.util.Locale;
import java.util.Optional;

/**
 * Decides whether a TTS answer is audio. Services that fail often still answer 200 with an HTML
 * login page or a JSON error; a content type alone is not trusted when it is generic.
 */
final class AudioSniffer {
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
        if (startsWith(b, "ID3") || (b.length >= 2 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xE0) == 0xE0)) {
            return Optional.of("audio/mpeg");
        }
        if (startsWith(b, "OggS")) {
            return Optional.of("audio/ogg");
        }
        if (startsWith(b, "fLaC")) {
            return Optional.of("audio/flac");
        }
        return Optional.empty();
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
