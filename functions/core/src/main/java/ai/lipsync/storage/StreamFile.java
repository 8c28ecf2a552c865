package ai.lipsync.storage;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The only file names a stream has: the playlist, the init segment, and numbered media segments.
 * Anything else (including traversal such as {@code ../x}) is not a stream file.
 */
public record StreamFile(String name, String contentType, boolean immutable) {
    public static final String PLAYLIST = "playlist.m3u8";
    public static final String INIT = "init.mp4";
    private static final Pattern SEGMENT = Pattern.compile("segment_\\d{3,6}\\.m4s");

    public static Optional<StreamFile> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        if (PLAYLIST.equals(name)) {
            return Optional.of(new StreamFile(name, "application/vnd.apple.mpegurl", false));
        }
        if (INIT.equals(name)) {
            return Optional.of(new StreamFile(name, "video/mp4", true));
        }
        if (SEGMENT.matcher(name).matches()) {
            return Optional.of(new StreamFile(name, "video/iso.segment", true));
        }
        return Optional.empty();
    }
}
