package ai.lipsync.hls;

import ai.lipsync.audio.PcmAudio;
import ai.lipsync.storage.StreamStore;

/** Opens one {@link HlsSegmentWriter} per generation, with the probed encoder. */
public final class HlsWriterFactory {
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
        return new HlsSegmentWriter(sessionId, store, listener, settings, probe.encoder(), width, height, fps,
                audio, frameCount);
    }
}
