package ai.lipsync.engine;

import ai.lipsync.audio.AudioDecoder;
import ai.lipsync.audio.SpeechEnvelope;
import ai.lipsync.compose.FaceCompositor;
import ai.lipsync.compose.MaskBlender;
import ai.lipsync.musetalk.AudioWindows;
import ai.lipsync.musetalk.GraphWarmUp;
import ai.lipsync.musetalk.InferenceException;
import ai.lipsync.musetalk.ModelManifest;
import ai.lipsync.musetalk.MuseTalkModels;
import ai.lipsync.musetalk.WhisperEncoder;
import ai.lipsync.musetalk.WhisperFeatures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * MuseTalk 1.5 (musetalk-reference.md sections 2, 6, 7): Whisper features of the whole utterance
 * through the exported graph (30 s segments joined at the seam, {@link WhisperEncoder}), one audio
 * window per video frame, then per fixed-size batch UNet -> VAE decode on one thread while another
 * pastes the faces back through the avatar's blend masks; frames inside long pauses show the source
 * frame instead ({@link SilencePlan}) and skip the UNet.
 *
 * <p>Owns its models: {@link #close()} frees them, once no rendering is inside libtorch any more
 * (new ones are refused, running ones stop at their next batch; bounded by the settings' stop timeout,
 * past which the models are left allocated rather than freed under a running batch).
 */
public final class MuseTalkEngine implements LipSyncEngine, AutoCloseable {
    public static final String NAME = "musetalk-1.5";
    private static final Logger log = LoggerFactory.getLogger(MuseTalkEngine.class);

    private final MuseTalkModels models;
    private final MuseTalkSettings settings;
    private final SpeechEnvelope envelope;
    private final FaceCompositor compositor = new FaceCompositor(new MaskBlender());
    private final ActiveRenderings renderings = new ActiveRenderings();
    private volatile List<GraphWarmUp.Run> warmedUp = List.of();

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

    /**
     * Refuses what would make every session fail, naming the setting: a frame rate the audio
     * windows do not support, a batch larger than a fixed-batch export can run.
     *
     * @throws UnusableSettingException naming {@code lipsync.video.fps} or {@code lipsync.models.batch-size}
     */
    public void checkSettings(int fps) {
        if (!AudioWindows.supports(fps)) {
            throw new UnusableSettingException(UnusableSettingException.Setting.VIDEO_FPS, fps,
                    "MuseTalk 1.5's audio windows exist at 1 to " + AudioWindows.MAX_FPS + " fps (at "
                            + AudioWindows.AUDIO_FPS + " and above the reference runs out of audio for the last"
                            + " frames); use 25, MuseTalk's own rate");
        }
        int batch = batchSize();
        for (String graph : List.of("unet", "vae_decode")) {
            ModelManifest.GraphSpec spec = models.manifest().graphs().get(graph);
            if (spec != null && !spec.dynamicBatch() && batch > spec.batch()) {
                throw new UnusableSettingException(UnusableSettingException.Setting.MODELS_BATCH_SIZE, batch,
                        "the '" + graph + "' graph in " + models.manifest().dir() + " was traced for batches of at"
                                + " most " + spec.batch() + " frames (no dynamic batch axis); set it to 0 (the"
                                + " exported batch) or at most " + spec.batch() + ", or export with --batch " + batch);
            }
        }
    }

    /** The graphs {@link #warmUp} ran, with their batch and time; empty before it. */
    public List<GraphWarmUp.Run> warmedUp() {
        return warmedUp;
    }

    /**
     * One batch through every loaded graph at this engine's batch size ({@link GraphWarmUp}), before
     * the first session.
     *
     * @throws UnusableSettingException when the UNet or the VAE decoder cannot run that batch
     *     (libtorch out of memory or a shape error): every session would fail the same way
     */
    public List<GraphWarmUp.Run> warmUp() {
        try {
            warmedUp = GraphWarmUp.run(models, batchSize());
            return warmedUp;
        } catch (InferenceException e) {
            if (e.kind() == InferenceException.Kind.OOM || e.kind() == InferenceException.Kind.SHAPE) {
                throw new UnusableSettingException(UnusableSettingException.Setting.MODELS_BATCH_SIZE, batchSize(),
                        "one batch of " + batchSize() + " frames failed at startup (" + e.kind().code().wireName()
                                + " on " + models.device() + "); lower it (0 = the exported batch). Cause: "
                                + e.getMessage(), e);
            }
            throw e;
        }
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
        ActiveRenderings.Lease lease = renderings.open(request.sessionId());
        try {
            long samples = request.audio().samples().length;
            int frames = windows.frameCount(samples);
            WhisperFeatures features = frames == 0 ? new WhisperFeatures(0, new float[0])
                    : new WhisperEncoder(models.whisper()::predict).encode(request.audio());
            float[] weights = settings.silence().weights(envelope.compute(request.audio(), request.fps()), frames);
            log.debug("[session={}] whisper steps={} frames={}", request.sessionId(), features.steps(), frames);
            return new MuseTalkRendering(request.sessionId(), request.prepared(), models, compositor,
                    new MuseTalkRendering.Prompts(windows, features, samples), weights, batchSize(),
                    settings.queuedBatches(), lease);
        } catch (RuntimeException | Error e) {
            lease.close();
            throw e;
        }
    }

    /**
     * Refuses new renderings, asks the running ones to stop at their next batch, waits until they
     * have left libtorch (up to the settings' stop timeout), then frees the models. Past the timeout
     * the models stay allocated and the error is logged: freeing them under a running batch would
     * crash the JVM.
     */
    @Override
    public void close() {
        if (!renderings.stopAll(settings.stopTimeout())) {
            log.error("[engine={}] {} rendering(s) still inside libtorch after {} ms: the MuseTalk models are NOT"
                            + " freed (that would crash the JVM under a running batch) [sessions={}]", NAME,
                    renderings.sessions().size(), settings.stopTimeout().toMillis(), renderings.sessions());
            return;
        }
        models.close();
    }
}
