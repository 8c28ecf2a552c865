package ai.lipsync.hls;

import ai.lipsync.audio.PcmAudio;
import ai.lipsync.session.ErrorCode;
import ai.lipsync.session.GenerationException;
import ai.lipsync.storage.StreamStore;

/**
 * Opens one {@link HlsSegmentWriter} per generation, with the probed encoder and the configuration
 * the probe opened it with.
 */
public final class HlsWriterFactory {
    private final EncoderProbe probe;
    private final StreamStore store;

    public HlsWriterFactory(EncoderProbe probe, StreamStore store) {
        this.probe = probe;
        this.store = store;
    }

    /** The sample rate of the streams' audio: speech given at this rate is encoded without resampling. */
    public int audioSampleRate() {
        return probe.recorders().settings().audioSampleRate();
    }

    /**
     * A stream whose speech is appended piece by piece ({@link HlsSegmentWriter#appendAudio}).
     *
     * @param audioRate the sample rate of the speech that will be appended
     * @throws GenerationException {@code ENCODE_FAILED} when the encoder cannot start
     */
    public HlsSegmentWriter open(String sessionId, int width, int height, int fps, int audioRate,
            SegmentListener listener) {
        return open(sessionId, width, height, fps, audioRate, -1, listener);
    }

    /**
     * A stream whose speech is known whole.
     *
     * @param audio the speech the viewer hears, best at {@link #audioSampleRate()} (another rate is
     *     resampled by the encoder); written alongside the frames and padded with silence to {@code frameCount}
     * @param frameCount the frames that will be written: {@link HlsSegmentWriter#finish} checks it
     * @throws GenerationException {@code ENCODE_FAILED} when the encoder cannot start
     */
    public HlsSegmentWriter open(String sessionId, int width, int height, int fps, PcmAudio audio, int frameCount,
            SegmentListener listener) {
        HlsSegmentWriter writer = open(sessionId, width, height, fps, audio.sampleRate(), frameCount, listener);
        writer.appendAudio(audio);
        return writer;
    }

    private HlsSegmentWriter open(String sessionId, int width, int height, int fps, int audioRate, int frameCount,
            SegmentListener listener) {
        VideoEncoder encoder = probe.encoder();
        try {
            return new HlsSegmentWriter(sessionId, store, listener, probe.recorders(), encoder, width, height, fps,
                    audioRate, frameCount);
        } catch (GenerationException e) {
            if (encoder == VideoEncoder.X264 || e.code() != ErrorCode.ENCODE_FAILED) {
                throw e;
            }
            // A GPU encoder that passed the probe may still refuse a stream (busy GPU, full NVENC
            // session table): this stream and every later one are encoded with libx264.
            probe.refusedStream(encoder, sessionId, e.getCause() instanceof Exception cause ? cause : e);
            return new HlsSegmentWriter(sessionId, store, listener, probe.recorders(), VideoEncoder.X264, width,
                    height, fps, audioRate, frameCount);
        }
    }
}
