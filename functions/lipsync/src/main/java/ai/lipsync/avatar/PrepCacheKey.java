package ai.lipsync.avatar;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a prepared avatar depends on, hashed: the source's content (sha256 of the video file), the
 * frame rate, the frame limits, a face box given instead of detection, and the checksum of every model the preparation ran. Any change
 * gives another key, so a stale package is never reused.
 */
public record PrepCacheKey(String sourceSha256, int fps, double maxSeconds, int maxLongSide, String knownFace,
                           Map<String, String> modelChecksums) {
    /** Bumped when the package's content or its computation changes. */
    static final int FORMAT = 1;

    public PrepCacheKey {
        modelChecksums = Map.copyOf(new TreeMap<>(modelChecksums));
    }

    /** 64 hex digits, usable as a file name. */
    public String value() {
        StringBuilder text = new StringBuilder("avatar-prep-v").append(FORMAT)
                .append("|source=").append(sourceSha256)
                .append("|fps=").append(fps)
                .append("|maxSeconds=").append(maxSeconds)
                .append("|maxLongSide=").append(maxLongSide)
                .append("|knownFace=").append(knownFace);
        new TreeMap<>(modelChecksums).forEach((k, v) -> text.append('|').append(k).append('=').append(v));
        return sha256(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    /** The sha256 of a file's content, streamed. */
    public static String sha256(Path file) {
        MessageDigest md = digest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) {
                md.update(buf, 0, r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
