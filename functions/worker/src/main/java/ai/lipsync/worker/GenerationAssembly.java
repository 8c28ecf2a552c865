package ai.lipsync.worker;

import ai.lipsync.audio.AudioDecoder;
import ai.lipsync.audio.Mp3Encoder;
import ai.lipsync.audio.TtsAudioStore;
import ai.lipsync.avatar.AvatarCatalog;
import ai.lipsync.avatar.PreparedAvatarStore;
import ai.lipsync.avatar.PreparedAvatars;
import ai.lipsync.engine.EngineSelection;
import ai.lipsync.engine.Engines;
import ai.lipsync.engine.LipSyncEngine;
import ai.lipsync.ffmpeg.FfmpegLogLevel;
import ai.lipsync.hls.EncoderProbe;
import ai.lipsync.hls.HlsSettings;
import ai.lipsync.hls.HlsWriterFactory;
import ai.lipsync.pipeline.GenerationMetrics;
import ai.lipsync.pipeline.GenerationPipeline;
import ai.lipsync.session.SessionStore;
import ai.lipsync.storage.StreamStore;
import ai.lipsync.tts.SpeechSynthesizer;

import java.time.Clock;
import java.util.Optional;

/**
 * The same core pipeline the embedded default runs (functions/local's PipelineConfiguration), wired
 * in plain Java: no Spring in the GPU container. Only the stores differ (DynamoDB and S3 on AWS).
 * The engine comes from the same {@link EngineSelection} and {@link Engines}: MuseTalk 1.5 with its
 * prepared avatars when the models directory holds a verified export, the weights-free engine otherwise.
 */
public final class GenerationAssembly implements PipelineFactory, AutoCloseable {
    private final GenerationSettings settings;
    private final SpeechSynthesizer synthesizer;
    private final LipSyncEngine engine;
    private final AvatarCatalog avatars;
    private final PreparedAvatars prepared;
    private final PreparedAvatarStore preparedResources;
    private final EncoderProbe probe;
    private final Clock clock;
    private final GenerationMetrics metrics;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    /** With an engine that needs no prepared avatars (the weights-free one). */
    public GenerationAssembly(GenerationSettings settings, SpeechSynthesizer synthesizer, LipSyncEngine engine,
            Clock clock) {
        this(settings, synthesizer, engine, AvatarCatalog.create(settings.avatars()), null, clock,
                GenerationMetrics.none());
    }

    private GenerationAssembly(GenerationSettings settings, SpeechSynthesizer synthesizer, LipSyncEngine engine,
            AvatarCatalog avatars, PreparedAvatarStore prepared, Clock clock, GenerationMetrics metrics) {
        if (engine.needsPreparedAvatar() && prepared == null) {
            throw new IllegalArgumentException("the " + engine.name() + " engine needs prepared avatars");
        }
        FfmpegLogLevel.errorsOnly();
        this.settings = settings;
        this.synthesizer = synthesizer;
        this.engine = engine;
        this.clock = clock;
        this.metrics = metrics;
        this.avatars = avatars;
        this.prepared = prepared;
        this.preparedResources = prepared;
        HlsSettings hls = HlsSettings.defaults().withQuality(settings.quality())
                .withWorkDir(settings.dataDir().resolve("work"));
        // Probed once per container: A100/H100/H200 have no NVENC, so the encoder is found by trying it.
        this.probe = EncoderProbe.create(hls, settings.avatars().maxLongSide(), settings.fps());
    }

    /**
     * The engine {@code choice} names (see {@link EngineSelection#choose}), checked and warmed up
     * ({@link Engines#create}), and for MuseTalk the prepared-avatar store under
     * {@code settings.avatars().preparedDir()}; batch size from {@code settings.models()}.
     *
     * @throws ai.lipsync.engine.UnusableSettingException (an IllegalArgumentException: the worker exits
     *     with {@link WorkerMain#NOT_STARTED}) naming {@code LIPSYNC_VIDEO_FPS} or {@code LIPSYNC_MODELS_BATCHSIZE}
     */
    public static GenerationAssembly create(GenerationSettings settings, SpeechSynthesizer synthesizer,
            EngineSelection.Choice choice, Clock clock) {
        return create(settings, synthesizer, choice, clock, GenerationMetrics.none());
    }

    /** As {@link #create(GenerationSettings, SpeechSynthesizer, EngineSelection.Choice, Clock)}, counting into {@code metrics}. */
    public static GenerationAssembly create(GenerationSettings settings, SpeechSynthesizer synthesizer,
            EngineSelection.Choice choice, Clock clock, GenerationMetrics metrics) {
        LipSyncEngine engine = Engines.create(choice, settings.models().batchSize(), settings.fps());
        AvatarCatalog catalog = AvatarCatalog.create(settings.avatars());
        Optional<PreparedAvatarStore> prepared = Engines.preparedAvatars(choice, catalog, settings.avatars());
        return new GenerationAssembly(settings, synthesizer, engine, catalog, prepared.orElse(null), clock, metrics);
    }

    /** The weights-free engine: runs on any CPU; sessions report engine=weights-free. */
    public static LipSyncEngine weightsFreeEngine() {
        return Engines.weightsFree();
    }

    public EncoderProbe encoderProbe() {
        return probe;
    }

    public AvatarCatalog avatars() {
        return avatars;
    }

    public LipSyncEngine engine() {
        return engine;
    }

    @Override
    public GenerationPipeline create(SessionStore sessions, StreamStore streams) {
        TtsAudioStore ttsAudio = new TtsAudioStore(settings.dataDir().resolve("audio"), Mp3Encoder.defaultEncoder());
        return new GenerationPipeline(sessions, synthesizer, new AudioDecoder(), ttsAudio, avatars, prepared, engine,
                new HlsWriterFactory(probe, streams), settings.pipeline(), clock, metrics);
    }

    /**
     * Frees the engine's models (after its running renderings have stopped) and the avatar preparer
     * (landmarker, face detector); packages stay on disk. Once: the SIGTERM hook and the main thread both call it.
     */
    @Override
    public void close() throws Exception {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        AutoCloseable models = engine instanceof AutoCloseable c ? c : () -> { };
        try (models; AutoCloseable store = preparedResources) {
            // the store closes first, then the engine's graphs
        }
    }
}
