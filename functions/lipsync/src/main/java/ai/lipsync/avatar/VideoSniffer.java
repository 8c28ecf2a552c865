package ai.lipsync.avatar;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Tells a video container by its first bytes, so an upload is stored under an extension that fits it. */
final class VideoSniffer {
    private VideoSniffer() {
    }

    /** {@code mp4}, {@code mov}, {@code webm} or {@code mkv}; empty for anything else. */
    static Optional<String> extension(byte[] head) {
        if (head.length >= 12 && ascii(head, 4, 4).equals("ftyp")) {
            return Optional.of(ascii(head, 8, 4).equals("qt  ") ? "mov" : "mp4");
        }
        if (head.length >= 8 && (ascii(head, 4, 4).equals("moov") || ascii(head, 4, 4).equals("wide")
                || ascii(head, 4, 4).equals("mdat"))) {
            return Optional.of("mov"); // old QuickTime files start without 'ftyp'
        }
        if (head.length >= 4 && (head[0] & 0xFF) == 0x1A && (head[1] & 0xFF) == 0x45 && (head[2] & 0xFF) == 0xDF
                && (head[3] & 0xFF) == 0xA3) {
            return Optional.of(ascii(head, 0, Math.min(head.length, 64)).contains("webm") ? "webm" : "mkv");
        }
        return Optional.empty();
    }

    private static String ascii(byte[] b, int from, int len) {
        return new String(b, from, len, StandardCharsets.ISO_8859_1);
    }
}
