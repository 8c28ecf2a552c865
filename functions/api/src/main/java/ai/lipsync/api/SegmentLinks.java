package ai.lipsync.api;

import ai.lipsync.storage.StreamFile;

/**
 * Where a player fetches a stream's init segment and media segments from: the URI the proxied
 * playlist names for each of them. On the embedded default the stored playlist's relative names
 * already resolve against {@code /stream/{id}/}; on AWS they become presigned S3 or CloudFront URLs,
 * so segment bytes never pass through the API function.
 */
public interface SegmentLinks {

    /** The URI for {@code file} of session {@code sessionId}, absolute or relative to the playlist. */
    String uri(String sessionId, StreamFile file);

    /** The stored playlist as it is: its relative names resolve next to the playlist's own URL. */
    static SegmentLinks relative() {
        return RelativeSegmentLinks.INSTANCE;
    }
}
