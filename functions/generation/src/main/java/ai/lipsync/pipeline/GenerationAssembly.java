package ai.lipsync.pipeline;

import ai.lipsync.audio.AudioDecoder;
import ai.lipsync.audio.Mp3Encoder;
import ai.lipsync.avatar.AvatarCatalog;
import ai.lipsync.avatar.AvatarSettings;
import ai.lipsync.avatar.PreparedAvatarStore;
import ai.lipsync.avatar.PreparedAvatars;
import ai.lipsync.engine.EngineSelection;
import ai.lipsync.engine.Engines;
import ai.lipsync.engine.LipSyncEngine;
import ai.lipsync.ffmpeg.FfmpegLogLevel;
import ai.lipsync.hls.EncoderProbe;
import ai.lipsync.hls.HlsSettings;
import ai.lipsync.hls.HlsWriterFactory;
import ai.lipsync.session.SessionStore;
import ai.lipsync.settings.LipsyncSettings;
import ai.lipsync.storage.StreamStore;
import ai.lipsync.tts.SpeechSynthesizer;
import ai.lipsync.tts.SpeechSynthesizers;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one assembly of the generation pipeline from {@link LipsyncSettings}, in plain Java: the web
 * app exposes each part as a bean (so a test may replace one), the GPU worker builds them all at
 * once ({@link #create}). Only the stores differ between the two (filesystem, or DynamoDB and S3).
 * The engine comes from {@link EngineSelection} and {@link Engines}: MuseTalk 1.5 with its prepared
 * avatars when the models directory holds a verified export, the weights-free engine otherwise.
 */
public final class GenerationAssembly implements AutoCloseable {
    /** How long the HTTP TTS providers may take to connect; the request itself is bounded by lipsync.tts.timeout. */
    public static final Duration TTS_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final LipsyncSettings settings;
    private final SpeechSynthesizer synthesizer;
    private final LipSyncEngine engine;
    private final AvatarCatalog avatars;
    private final PreparedAvatarStore prepared;
    private final EncoderProbe probe;
    private final Clock clock;
    private final GenerationMetrics metrics;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** With an engine that needs no prepared avatars (the weights-free one). */
    public GenerationAssembly(LipsyncSettings settings, SpeechSynthesizer synthesizer, LipSyncEngine engine,
            Clock clock) {
        this(settings, synthesizer, engine, avatarCatalog(settings), null, clock, GenerationMetrics.none());
    }

    private GenerationAssembly(LipsyncSettings settings, SpeechSynthesizer synthesizer, LipSyncEngine engine,
            AvatarCatalog avatars, PreparedAvatarStore prepared, Clock clock, GenerationMetrics metrics) {
        if (engine.needsPreparedAvatar() && prepared == null) {
            throw new IllegalArgumentException("the " + engine.name() + " engine needs prepared avatars");
        }
        this.settings = settings;
        this.synthesizer = synthesizer;
        this.engine = engine;
        this.avatars = avatars;
        this.prepared = prepared;
        this.clock = clock;
        this.metrics = metrics;
        // Probed once per process: A100/H100/H200 have no NVENC, so the encoder is found by trying it.
        this.probe = encoderProbe(settings);
    }

    /**
     * Everything the engine {@code choice} calls for ({@link #chooseEngine}): for MuseTalk the
     * prepared-avatar store under {@code lipsync.avatar.prepared-dir}, the batch size from
     * {@code lipsync.models.batch-size}.
     */
    public static GenerationAssembly create(LipsyncSettings settings, SpeechSynthesizer synthesizer,
            EngineSelection.Choice choice, Clock clock) {
        return create(settings, synthesizer, choice, clock, GenerationMetrics.none());
    }

    /** As {@link #create(LipsyncSettings, SpeechSynthesizer, EngineSelection.Choice, Clock)}, counting into {@code metrics}. */
    public static GenerationAssembly create(LipsyncSettings settings, SpeechSynthesizer synthesizer,
            EngineSelection.Choice choice, Clock clock, GenerationMetrics metrics) {
        LipSyncEngine engine = engine(choice, settings);
        AvatarCatalog catalog = avatarCatalog(settings);
        Optional<PreparedAvatarStore> prepared = preparedAvatars(choice, catalog, settings);
        return new GenerationAssembly(settings, synthesizer, engine, catalog, prepared.orElse(null), clock, metrics);
    }

    /** One client for the HTTP TTS providers (it owns a connection pool), with a connect timeout. */
    public static HttpClient ttsHttpClient() {
        return HttpClient.newBuilder().connectTimeout(TTS_CONNECT_TIMEOUT).build();
    }

    /** The configured speech service ({@code lipsync.tts.*}) over {@code http}. */
    public static SpeechSynthesizer speechSynthesizer(LipsyncSettings settings, HttpClient http) {
        return SpeechSynthesizers.create(settings.tts(), http);
    }

    /** Per-session {@code tts.mp3} under {@code lipsync.storage.data-dir/audio}. */
    public static TtsAudioStore ttsAudioStore(LipsyncSettings settings) {
        return new TtsAudioStore(settings.storage().dataDir().resolve("audio"), Mp3Encoder.defaultEncoder());
    }

    public static AvatarCatalog avatarCatalog(LipsyncSettings settings) {
        return AvatarCatalog.create(AvatarSettings.from(settings.avatar()));
    }

    /**
     * Which engine {@code lipsync.models.dir} calls for.
     *
     * @throws ai.lipsync.musetalk.ModelFileException for a half-present or corrupt model set, naming the file
     */
    public static EngineSelection.Choice chooseEngine(LipsyncSettings settings) {
        return EngineSelection.choose(settings.models().dir(), settings.models().gpu());
    }

    /**
     * The chosen engine, checked against {@code lipsync.video.fps} and {@code lipsync.models.batch-size}
     * and warmed up ({@link Engines#create}).
     *
     * @throws ai.lipsync.engine.UnusableSettingException naming the setting every session would fail with
     */
    public static LipSyncEngine engine(EngineSelection.Choice choice, LipsyncSettings settings) {
        return Engines.create(choice, settings.models().batchSize(), settings.video().fps());
    }

    /** The prepared-avatar store MuseTalk reads; empty for the weights-free engine. */
    public static Optional<PreparedAvatarStore> preparedAvatars(EngineSelection.Choice choice, AvatarCatalog catalog,
            LipsyncSettings settings) {
        return Engines.preparedAvatars(choice, catalog, AvatarSettings.from(settings.avatar()));
    }

    /** Probes at the largest frame an avatar gives, with the streams' own encoder settings. */
    public static EncoderProbe encoderProbe(LipsyncSettings settings) {
        FfmpegLogLevel.errorsOnly();
        return EncoderProbe.create(HlsSettings.from(settings), settings.avatar().maxLongSide(), settings.video().fps());
    }

    public static GenerationPipeline pipeline(LipsyncSettings settings, SessionStore sessions,
            SpeechSynthesizer synthesizer, TtsAudioSink ttsAudio, AvatarCatalog avatars, PreparedAvatars prepared,
            LipSyncEngine engine, HlsWriterFactory writers, Clock clock, GenerationMetrics metrics) {
        return new GenerationPipeline(sessions, synthesizer, new AudioDecoder(), ttsAudio, avatars, prepared, engine,
                writers, PipelineSettings.from(settings), clock, metrics);
    }

    /**
     * A pipeline over these stores, on this assembly's engine, avatars, speech service and encoder: the
     * GPU worker's. Each session's {@code tts.mp3} goes beside its stream ({@link StreamTtsAudio}), so
     * the worker keeps no file per session.
     */
    public GenerationPipeline pipeline(SessionStore sessions, StreamStore streams) {
        return pipeline(sessions, streams, engine);
    }

    /** As {@link #pipeline(SessionStore, StreamStore)}, rendering with {@code engine} (a test's stand-in around this one's). */
    public GenerationPipeline pipeline(SessionStore sessions, StreamStore streams, LipSyncEngine engine) {
        return pipeline(settings, sessions, synthesizer,
                new StreamTtsAudio(streams, Mp3Encoder.defaultEncoder(), settings.encoderWorkDir()), avatars, prepared,
                engine, new HlsWriterFactory(probe, streams), clock, metrics);
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

    public SpeechSynthesizer synthesizer() {
        return synthesizer;
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
        try (models; AutoCloseable store = prepared) {
            // the store closes first, then the engine's graphs
        }
    }
}
