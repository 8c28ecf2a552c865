package ai.lipsync.hls;

import ai.lipsync.session.ErrorCode;
import ai.lipsync.session.GenerationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ai.lipsync.audio.PcmAudio;
import ai.lipsync.storage.StreamStore;

/** Opens one {@link HlsSegmentWriter} per generation, with the probed encoder. */
public final class HlsWriterFactory {
    private static final Logger log = LoggerFactory.getLogger(HlsWriterFactory.class);
    private final HlsSettings settings;
    private final EncoderProbe probe;
    private final StreamStore store;

    public HlsWriterFactory(HlsSettings settings, EncoderProbe probe, StreamStore store) {
        this.settings = settings;
        this.probe = probe;
        this.store = store;
    }

    /**
     * @param audio the speech; written alongside the frames and padded with silence to {@code frameCount}
     * @throws ai.lipsync.session.GenerationException {@code ENCODE_FAILED} when the encoder cannot start
     */
    public HlsSegmentWriter open(String sessionId, int width, int height, int fps, PcmAudio audio, int frameCount,
            SegmentListener listener) {
        VideoEncoder encoder = probe.encoder();
        try {
            return new HlsSegmentWriter(sessionId, store, listener, settings, encoder, width, height, fps, audio,
                    frameCount);
        } catch (GenerationException e) {
            if (encoder == VideoEncoder.X264 || e.code() != ErrorCode.ENCODE_FAILED) {
                throw e;
            }
            // A GPU encoder that passed the probe may still refuse a stream (busy GPU, full NVENC
            // session table): this stream falls back to software encoding, the next ones try the GPU again.
            log.warn("[session={}] {} refused the stream; encoding it with libx264", sessionId,
                    encoder.codecName(), e);
            return new HlsSegmentWriter(sessionId, store, listener, settings, VideoEncoder.X264, width, height, fps,
                    audio, frameCount);
        }
    }
}
