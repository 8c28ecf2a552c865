package ai.lipsync.worker;

import ai.lipsync.audio.AudioDecoder;
import ai.lipsync.audio.EnvelopeSettings;
import ai.lipsync.audio.Mp3Encoder;
import ai.lipsync.audio.SpeechEnvelope;
import ai.lipsync.audio.TtsAudioStore;
import ai.lipsync.avatar.AvatarCatalog;
import ai.lipsync.engine.LipSyncEngine;
import ai.lipsync.engine.WeightsFreeEngine;
import ai.lipsync.hls.EncoderProbe;
import ai.lipsync.hls.HlsSettings;
import ai.lipsync.hls.HlsWriterFactory;
import ai.lipsync.pipeline.GenerationPipeline;
import ai.lipsync.pipeline.PipelineSettings;
import ai.lipsync.session.SessionStore;
import ai.lipsync.storage.StreamStore;
import ai.lipsync.tts.SpeechSynthesizer;

import java.time.Clock;

/**
 * The same core pipeline the embedded default runs (functions/local's PipelineConfiguration), wired
 * in plain Java: no Spring in the GPU container. Only the stores differ (DynamoDB and S3 on AWS).
 */
public final class GenerationAssembly implements PipelineFactory {
    private final GenerationSettings settings;
    private final SpeechSynthesizer synthesizer;
    private final LipSyncEngine engine;
    private final AvatarCatalog avatars;
    private final EncoderProbe probe;
    private final HlsSettings hls;
    private final Clock clock;

    public GenerationAssembly(GenerationSettings settings, SpeechSynthesizer synthesizer, LipSyncEngine engine,
            Clock clock) {
        this.settings = settings;
        this.synthesizer = synthesizer;
        this.engine = engine;
        this.clock = clock;
        this.avatars = AvatarCatalog.create(settings.avatars());
        HlsSettings d = HlsSettings.defaults();
        this.hls = new HlsSettings(d.segmentSeconds(), d.crf(), d.x264Preset(), d.nvencPreset(), d.nvencCq(),
                d.audioSampleRate(), d.audioBitrate(), settings.dataDir().resolve("work"));
        // Probed once per container: H100/A100 have no NVENC, so the encoder is found by trying it.
        this.probe = EncoderProbe.create(hls);
    }

    /** The weights-free engine: runs on any CPU; sessions report engine=weights-free. */
    public static LipSyncEngine weightsFreeEngine() {
        return new WeightsFreeEngine(new SpeechEnvelope(EnvelopeSettings.defaults()));
    }

    public EncoderProbe encoderProbe() {
        return probe;
    }

    public AvatarCatalog avatars() {
        return avatars;
    }

    @Override
    public GenerationPipeline create(SessionStore sessions, StreamStore streams) {
        TtsAudioStore ttsAudio = new TtsAudioStore(settings.dataDir().resolve("audio"), Mp3Encoder.defaultEncoder());
        return new GenerationPipeline(sessions, synthesizer, new AudioDecoder(), ttsAudio, avatars, engine,
                new HlsWriterFactory(hls, probe, streams), streams, new PipelineSettings(settings.fps()), clock);
    }
}
