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
import ai.lipsync.musetalk.WhisperStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * MuseTalk 1.5 (musetalk-reference.md sections 2, 6, 7): Whisper features of the speech through the
 * exported graph, chunk by chunk (each chunk, and every 30 s within one, a segment joined at the seam,
 * {@link WhisperStream}), one audio window per video frame across the chunks, then per fixed-size batch UNet -> VAE decode on one thread while another
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
    public LipSyncStream open(StreamRequest request) {
        if (request.prepared() == null) {
            throw new IllegalArgumentException("the " + NAME + " engine needs the prepared avatar of "
                    + request.avatar().id());
        }
        ActiveRenderings.Lease lease = renderings.open(request.sessionId());
        return new MuseTalkStream(request.sessionId(), request.prepared(), models, compositor,
                new AudioWindows(request.fps()), new WhisperStream(new WhisperEncoder(models.whisper()::predict)),
                envelope.open(AudioDecoder.SAMPLE_RATE, request.fps()), settings.silence(), batchSize(),
                settings.queuedBatches(), lease);
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
