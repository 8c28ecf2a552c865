package ai.lipsync.storage;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The only file names a stream has: the playlist, the init segment, numbered media segments, and the
 * session's speech {@code tts.mp3}, which a GPU worker stores beside them. Anything else (including
 * traversal such as {@code ../x}) is not a stream file.
 */
public record StreamFile(String name, String contentType, boolean immutable) {
    public static final String PLAYLIST = "playlist.m3u8";
    public static final String INIT = "init.mp4";
    /** The session's speech as MP3: written once, before the first segment. */
    public static final String TTS_AUDIO = "tts.mp3";
    private static final Pattern SEGMENT = Pattern.compile("segment_\\d{3,6}\\.m4s");
    /** The playlist grows while its session is live: caches must revalidate it on every request. */
    public static final String LIVE_CACHE_CONTROL = "no-cache";
    /** The init segment and media segments never change once published: players and CDNs keep them. */
    public static final String IMMUTABLE_CACHE_CONTROL = "public, max-age=31536000, immutable";

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
        if (TTS_AUDIO.equals(name)) {
            return Optional.of(new StreamFile(name, "audio/mpeg", true));
        }
        if (SEGMENT.matcher(name).matches()) {
            return Optional.of(new StreamFile(name, "video/iso.segment", true));
        }
        return Optional.empty();
    }

    /** The {@code Cache-Control} of this file wherever it is served from: the API, S3 or CloudFront. */
    public String cacheControl() {
        return immutable ? IMMUTABLE_CACHE_CONTROL : LIVE_CACHE_CONTROL;
    }
}
