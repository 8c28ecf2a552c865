package ai.lipsync.hls;

import ai.lipsync.audio.PcmAudio;
import ai.lipsync.compose.BgrImage;
import ai.lipsync.session.ErrorCode;
import ai.lipsync.session.GenerationException;
import ai.lipsync.storage.StreamStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * One stream (H.264 + AAC in fMP4 HLS): an {@link HlsEncoder} turns the frames into segments and an
 * {@link HlsPublisher} puts each one into the {@link StreamStore} as soon as FFmpeg has closed it,
 * followed by the playlist naming it. The speech is appended piece by piece ({@link #appendAudio}, e.g.
 * one utterance chunk after another) onto one audio timeline beside the frames. {@link #finish} ends
 * the stream, {@link #abort} ends it early with the segments it has. Not thread-safe: one thread
 * writes a stream.
 */
public final class HlsSegmentWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HlsSegmentWriter.class);

    private final String sessionId;
    private final HlsEncoder encoder;
    private final HlsPublisher publisher;
    /** The frames {@link #finish} expects, or -1 when the caller checks its own count. */
    private final int frameCount;
    private boolean ended;
    private long publishNanos;

    /**
     * @throws GenerationException {@code ENCODE_FAILED} when the encoder does not open, with the
     *     FFmpeg error as its cause
     */
    HlsSegmentWriter(String sessionId, StreamStore store, SegmentListener listener, RecorderConfiguration recorders,
            VideoEncoder encoder, int width, int height, int fps, int audioRate, int frameCount) {
        this.sessionId = sessionId;
        this.encoder = new HlsEncoder(sessionId, recorders, encoder, width, height, fps, audioRate);
        this.publisher = new HlsPublisher(sessionId, store, recorders.settings().segmentSeconds(), listener);
        this.frameCount = frameCount;
    }

    /** Frames written so far. */
    public int framesWritten() {
        return encoder.framesEncoded();
    }

    /** Segments published so far. */
    public int segmentsPublished() {
        return publisher.segmentsPublished();
    }

    /** Time spent so far writing segments and playlists to the store (the rest of write/finish is encoding). */
    public long publishNanos() {
        return publishNanos;
    }

    /** The sample rate the appended speech must have. */
    public int audioRate() {
        return encoder.audioRate();
    }

    /**
     * Adds the next piece of the speech to the stream's audio, right after the pieces before it: the
     * frames written from now on carry it. Append a piece before the frames it belongs to.
     */
    public void appendAudio(PcmAudio speech) {
        if (ended) {
            throw new IllegalStateException("stream already finished");
        }
        encoder.appendAudio(speech);
    }

    /**
     * Encodes the next frame with its share of the audio and publishes any segment FFmpeg closed.
     */
    public void write(BgrImage image) {
        if (ended) {
            throw new IllegalStateException("stream already finished");
        }
        publish(encoder.encode(image), false);
    }

    /**
     * Flushes the encoder, publishes the last segments and closes the playlist with ENDLIST. The audio
     * ends with the last frame (padded with silence, or cut).
     */
    public void finish() {
        if (ended) {
            return;
        }
        if (frameCount >= 0 && encoder.framesEncoded() < frameCount) {
            throw new IllegalStateException("only " + encoder.framesEncoded() + " of " + frameCount
                    + " frames were written");
        }
        publish(encoder.finish(), true);
        if (publisher.segmentsPublished() == 0) {
            throw new GenerationException(ErrorCode.ENCODE_FAILED, "The encoder produced no segments.");
        }
        ended = true;
    }

    /**
     * Ends the stream early, after a failure: stops the encoder, publishes the complete segments it
     * has and closes this stream's playlist with {@code #EXT-X-ENDLIST}, so players stop waiting for
     * more. A stream with no published segment gets no playlist. Never throws (it runs while
     * another failure is being handled); what it could not do is logged. Nothing after a
     * {@link #finish} that succeeded.
     */
    public void abort() {
        if (ended) {
            return;
        }
        ended = true;
        List<EncodedSegment> complete = encoder.abort();
        // After a failed write to the store a later segment would follow a gap: then only the end.
        if (publisher.intact()) {
            try {
                publish(complete, false);
            } catch (RuntimeException e) {
                log.warn("[session={}] publishing the complete segments after the failure: {}", sessionId,
                        e.getMessage());
            }
        }
        try {
            publisher.end();
        } catch (RuntimeException e) {
            log.warn("[session={}] could not end the partial playlist after {} segments: {}", sessionId,
                    publisher.segmentsPublished(), e.getMessage());
        }
    }

    private void publish(List<EncodedSegment> segments, boolean ends) {
        long start = System.nanoTime();
        try {
            if (!segments.isEmpty() && !publisher.headerPublished()) {
                publisher.publishHeader(encoder.header());
            }
            publisher.publish(segments, ends);
        } finally {
            publishNanos += System.nanoTime() - start;
        }
    }

    /** Releases the encoder and deletes its work directory; safe to call more than once. */
    @Override
    public void close() {
        encoder.close();
    }
}
