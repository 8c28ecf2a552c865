package ai.lipsync.pipeline;

import ai.lipsync.audio.AudioDecoder;
import ai.lipsync.audio.EnvelopeSettings;
import ai.lipsync.audio.Mp3Encoder;
import ai.lipsync.audio.SpeechEnvelope;
import ai.lipsync.avatar.AvatarCatalog;
import ai.lipsync.avatar.AvatarSettings;
import ai.lipsync.avatar.PreparedAvatars;
import ai.lipsync.engine.LipSyncEngine;
import ai.lipsync.engine.WeightsFreeEngine;
import ai.lipsync.hls.EncoderProbe;
import ai.lipsync.hls.HlsSettings;
import ai.lipsync.hls.HlsWriterFactory;
import ai.lipsync.musetalk.MuseTalkModels;
import ai.lipsync.session.GenerationJob;
import ai.lipsync.session.InMemorySessionStore;
import ai.lipsync.session.Language;
import ai.lipsync.session.Session;
import ai.lipsync.session.SessionIds;
import ai.lipsync.session.SessionStore;
import ai.lipsync.storage.FileSystemStreamStore;
import ai.lipsync.testing.MuseTalkTestAvatars;
import ai.lipsync.tts.SpeechSynthesizer;

import java.nio.file.Path;
import java.time.Clock;

/** The embedded-default pipeline wired by hand under one directory, as the app wires it. */
public final class PipelineFixture {
    final Path root;
    final SessionStore sessions;
    final FileSystemStreamStore streams;
    final TtsAudioStore ttsAudio;
    final AvatarCatalog avatars;
    final EncoderProbe probe;
    final HlsWriterFactory writers;
    final HlsSettings hlsSettings;
    final AvatarSettings avatarSettings;
    private final SessionIds ids = SessionIds.create();

    PipelineFixture(Path root) {
        this(root, new InMemorySessionStore());
    }

    PipelineFixture(Path root, SessionStore sessions) {
        this(root, sessions, store -> store);
    }

    /** @param decorate wraps the filesystem store the HLS writer publishes to (to inject failures) */
    PipelineFixture(Path root, SessionStore sessions,
            java.util.function.UnaryOperator<ai.lipsync.storage.StreamStore> decorate) {
        this.root = root;
        this.sessions = sessions;
        streams = new FileSystemStreamStore(root.resolve("static/hls"));
        ttsAudio = new TtsAudioStore(root.resolve("data/audio"), Mp3Encoder.defaultEncoder());
        avatarSettings = AvatarSettings.defaults().withVideoDir(root.resolve("data/video"));
        avatars = AvatarCatalog.create(avatarSettings);
        hlsSettings = HlsSettings.defaults().withWorkDir(root.resolve("work"));
        probe = EncoderProbe.create(hlsSettings, avatarSettings.maxLongSide(), PipelineSettings.defaults().fps());
        writers = new HlsWriterFactory(probe, decorate.apply(streams));
    }

    GenerationPipeline pipeline(SpeechSynthesizer synthesizer) {
        return pipeline(synthesizer, weightsFreeEngine());
    }

    GenerationPipeline pipeline(SpeechSynthesizer synthesizer, LipSyncEngine engine) {
        return pipeline(synthesizer, engine, PipelineSettings.defaults());
    }

    GenerationPipeline pipeline(SpeechSynthesizer synthesizer, LipSyncEngine engine, PipelineSettings settings) {
        return new GenerationPipeline(sessions, synthesizer, new AudioDecoder(), ttsAudio, avatars, engine,
                writers, settings, Clock.systemUTC());
    }

    /** With an engine that reads prepared avatars (MuseTalk). */
    GenerationPipeline pipeline(SpeechSynthesizer synthesizer, LipSyncEngine engine, PreparedAvatars prepared) {
        return new GenerationPipeline(sessions, synthesizer, new AudioDecoder(), ttsAudio, avatars, prepared, engine,
                writers, PipelineSettings.defaults(), Clock.systemUTC());
    }

    /**
     * This fixture's avatars prepared for MuseTalk on {@code models}: the first 4 source frames (quick on a
     * CPU) and the drawn face's parsing, so the blend mask is not empty under the golden bisenet's random weights.
     */
    MuseTalkTestAvatars museTalkAvatars(MuseTalkModels models) {
        return new MuseTalkTestAvatars(models, avatars::load, 4, MuseTalkTestAvatars.drawnFaceParser());
    }

    GenerationPipeline pipeline(SpeechSynthesizer synthesizer, GenerationMetrics metrics) {
        return new GenerationPipeline(sessions, synthesizer, new AudioDecoder(), ttsAudio, avatars, null,
                weightsFreeEngine(), writers, PipelineSettings.defaults(), Clock.systemUTC(), metrics);
    }

    /** On {@code clock}: the claim's start deadline is checked against it. */
    GenerationPipeline pipeline(SpeechSynthesizer synthesizer, Clock clock, GenerationMetrics metrics) {
        return new GenerationPipeline(sessions, synthesizer, new AudioDecoder(), ttsAudio, avatars, null,
                weightsFreeEngine(), writers, PipelineSettings.defaults(), clock, metrics);
    }

    static LipSyncEngine weightsFreeEngine() {
        return new WeightsFreeEngine(new SpeechEnvelope(EnvelopeSettings.defaults()));
    }

    /** Creates a session as the API does and returns its job. */
    GenerationJob newJob(String text, String avatar) {
        return newJob(text, avatar, Language.EN, Clock.systemUTC());
    }

    /** As {@link #newJob(String, String)}, created at {@code clock}'s now. */
    GenerationJob newJob(String text, String avatar, Clock clock) {
        return newJob(text, avatar, Language.EN, clock);
    }

    GenerationJob newJob(String text, String avatar, Language lang) {
        return newJob(text, avatar, lang, Clock.systemUTC());
    }

    private GenerationJob newJob(String text, String avatar, Language lang, Clock clock) {
        String id = ids.next();
        sessions.create(Session.created(id, text, lang, avatar, clock.instant()));
        return new GenerationJob(id, text, lang, avatar);
    }

    Session session(String id) {
        return sessions.find(id).orElseThrow();
    }

    Path streamDir(String id) {
        return streams.baseDir().resolve(id);
    }
}
