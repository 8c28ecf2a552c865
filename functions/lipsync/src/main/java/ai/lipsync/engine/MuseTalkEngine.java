package ai.lipsync.engine;

import ai.lipsync.audio.AudioDecoder;
import ai.lipsync.audio.SpeechEnvelope;
import ai.lipsync.compose.FaceCompositor;
import ai.lipsync.compose.MaskBlender;
import ai.lipsync.musetalk.AudioWindows;
import ai.lipsync.musetalk.MuseTalkModels;
import ai.lipsync.musetalk.WhisperEncoder;
import ai.lipsync.musetalk.WhisperFeatures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MuseTalk 1.5 (musetalk-reference.md sections 2, 6, 7): Whisper features of the whole utterance
 * through the exported graph (30 s segments joined at the seam, {@link WhisperEncoder}), one audio
 * window per video frame, then per fixed-size batch UNet -> VAE decode on one thread while another
 * pastes the faces back through the avatar's blend masks; frames inside long pauses show the source
 * frame instead ({@link SilencePlan}) and skip the UNet.
 *
 * <p>Owns its models: {@link #close()} frees them.
 */
public final class MuseTalkEngine implements LipSyncEngine, AutoCloseable {
    public static final String NAME = "musetalk-1.5";
    private static final Logger log = LoggerFactory.getLogger(MuseTalkEngine.class);

    private final MuseTalkModels models;
    private final MuseTalkSettings settings;
    private final SpeechEnvelope envelope;
    private final FaceCompositor compositor = new FaceCompositor(new MaskBlender());

    public MuseTalkEngine(MuseTalkModels models, MuseTalkSettings settings) {
        this.models = models;
        this.settings = settings;
        this.envelope = new SpeechEnvelope(settings.envelope());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean needsPreparedAvatar() {
        return true;
    }

    /** Frames per UNet/VAE call. */
    public int batchSize() {
        return settings.batchSize() > 0 ? settings.batchSize() : Math.max(1, models.unet().spec().batch());
    }

    public MuseTalkModels models() {
        return models;
    }

    @Override
    public Rendering prepare(RenderRequest request) {
        if (request.prepared() == null) {
            throw new IllegalArgumentException("the " + NAME + " engine needs the prepared avatar of "
                    + request.avatar().id());
        }
        if (request.audio().sampleRate() != AudioDecoder.SAMPLE_RATE) {
            throw new IllegalArgumentException("MuseTalk needs 16 kHz audio, got " + request.audio().sampleRate() + " Hz");
        }
        AudioWindows windows = new AudioWindows(request.fps());
        long samples = request.audio().samples().length;
        int frames = windows.frameCount(samples);
        WhisperFeatures features = frames == 0 ? new WhisperFeatures(0, new float[0])
                : new WhisperEncoder(models.whisper()::predict).encode(request.audio());
        float[] weights = settings.silence().weights(envelope.compute(request.audio(), request.fps()), frames);
        log.debug("[session={}] whisper steps={} frames={}", request.sessionId(), features.steps(), frames);
        return new MuseTalkRendering(request.sessionId(), request.prepared(), models, compositor,
                new MuseTalkRendering.Prompts(windows, features, samples), weights, batchSize(), settings.queuedBatches());
    }

    @Override
    public void close() {
        models.close();
    }
}
