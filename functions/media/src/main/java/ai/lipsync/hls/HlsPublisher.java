package ai.lipsync.hls;

import ai.lipsync.session.ErrorCode;
import ai.lipsync.session.GenerationException;
import ai.lipsync.storage.StreamFile;
import ai.lipsync.storage.StreamStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Puts one stream into the {@link StreamStore}: the header, then each segment followed by the
 * playlist that names it, never before. Holds the stream's {@link HlsPlaylist} in memory and writes
 * that; it never reads the store. Not thread-safe: one thread publishes a stream.
 */
final class HlsPublisher {
    private static final Logger log = LoggerFactory.getLogger(HlsPublisher.class);
    private static final StreamFile INIT = StreamFile.parse(StreamFile.INIT).orElseThrow();
    private static final StreamFile PLAYLIST = StreamFile.parse(StreamFile.PLAYLIST).orElseThrow();

    private final String sessionId;
    private final StreamStore store;
    private final SegmentListener listener;
    private HlsPlaylist playlist;
    private boolean headerPublished;
    /** False once a write failed: a later segment would follow a gap, so only {@link #end} is left. */
    private boolean intact = true;

    HlsPublisher(String sessionId, StreamStore store, int targetDuration, SegmentListener listener) {
        this.sessionId = sessionId;
        this.store = store;
        this.listener = listener;
        this.playlist = HlsPlaylist.empty(targetDuration);
    }

    /** Segments published so far. */
    int segmentsPublished() {
        return playlist.segments().size();
    }

    boolean headerPublished() {
        return headerPublished;
    }

    /** True while every write succeeded, i.e. more segments may follow. */
    boolean intact() {
        return intact;
    }

    /** The segments' common header ({@code init.mp4}); once, before the first segment. */
    void publishHeader(byte[] header) {
        if (headerPublished) {
            throw new IllegalStateException("the header is already published");
        }
        put(INIT, header);
        headerPublished = true;
    }

    /**
     * Publishes each segment, then the playlist with it appended (and with {@code #EXT-X-ENDLIST}
     * after the last one when {@code ends}); when {@code ends} and there is no segment to add, ends
     * the playlist already published.
     *
     * @throws GenerationException {@code STORAGE_FAILED} when the store refuses a write; what was
     *     published before stays, and the playlist names only those segments
     */
    void publish(List<EncodedSegment> segments, boolean ends) {
        if (!segments.isEmpty() && (!headerPublished || !intact)) {
            throw new IllegalStateException(intact ? "segments before the header" : "segments after a failed write");
        }
        for (int i = 0; i < segments.size(); i++) {
            EncodedSegment segment = segments.get(i);
            put(segment.file(), segment.content());
            HlsPlaylist next = playlist.append(new HlsPlaylist.Segment(segment.file().name(),
                    segment.durationSeconds()));
            writePlaylist(ends && i == segments.size() - 1 ? next.end() : next);
            int index = playlist.segments().size() - 1;
            log.debug("[session={} segment={} duration={}] published", sessionId, segment.file().name(),
                    segment.durationSeconds());
            listener.onSegmentPublished(index, segment.durationSeconds());
        }
        if (ends && segments.isEmpty()) {
            end();
        }
    }

    /** Ends the playlist with {@code #EXT-X-ENDLIST}; nothing when no segment was published or it has ended. */
    void end() {
        if (!playlist.ended() && !playlist.segments().isEmpty()) {
            writePlaylist(playlist.end());
        }
    }

    /** The store has {@code next}; only then does it become the playlist this publisher holds. */
    private void writePlaylist(HlsPlaylist next) {
        put(PLAYLIST, next.text().getBytes(StandardCharsets.UTF_8));
        playlist = next;
    }

    private void put(StreamFile file, byte[] content) {
        try {
            store.put(sessionId, file, content);
        } catch (IOException e) {
            intact = false;
            throw new GenerationException(ErrorCode.STORAGE_FAILED, "Publishing the stream to storage failed.", e);
        }
    }
}
