package ai.lipsync.local;

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
import ai.lipsync.storage.FileSystemStreamStore;
import ai.lipsync.storage.StreamStore;
import ai.lipsync.tts.SpeechSynthesizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;

import java.time.Clock;
import java.util.function.Predicate;

/**
 * The generation side of the embedded default: HLS on the filesystem under {@code static/hls},
 * TTS audio under {@code data/audio}, avatars from {@code data/video} plus the drawn default, and
 * the weights-free engine. (MuseTalk 1.5 plugs in here as another {@link LipSyncEngine} once its
 * engine and avatar preparation exist; the exported graphs and their DJL loading are in core's
 * {@code musetalk} package.)
 */
@Configuration(proxyBeanMethods = false)
@Profile(LocalConfiguration.EMBEDDED) // in the aws profile the GPU worker generates, not this JVM
public class PipelineConfiguration {
    private static final Logger log = LoggerFactory.getLogger(PipelineConfiguration.class);

    @Bean
    public FileSystemStreamStore streamStore(LipsyncProperties props) {
        return new FileSystemStreamStore(props.storage().hlsDir());
    }

    @Bean
    public AvatarCatalog avatarCatalog(LipsyncProperties props) {
        return AvatarCatalog.create(props.avatar().toSettings());
    }

    /** The catalog as the session service sees it: which avatar ids a request may name. */
    @Bean
    public Predicate<String> knownAvatars(AvatarCatalog avatarCatalog) {
        return avatarCatalog::exists;
    }

    @Bean
    public HlsSettings hlsSettings(LipsyncProperties props) {
        HlsSettings d = HlsSettings.defaults();
        return new HlsSettings(d.segmentSeconds(), d.crf(), d.x264Preset(), d.nvencPreset(), d.nvencCq(),
                d.audioSampleRate(), d.audioBitrate(), props.storage().dataDir().resolve("work"));
    }

    @Bean
    public EncoderProbe encoderProbe(HlsSettings hlsSettings) {
        return EncoderProbe.create(hlsSettings);
    }

    @Bean
    public HlsWriterFactory hlsWriterFactory(HlsSettings hlsSettings, EncoderProbe encoderProbe, StreamStore streamStore) {
        return new HlsWriterFactory(hlsSettings, encoderProbe, streamStore);
    }

    @Bean
    public TtsAudioStore ttsAudioStore(LipsyncProperties props) {
        return new TtsAudioStore(props.storage().dataDir().resolve("audio"), Mp3Encoder.defaultEncoder());
    }

    @Bean
    public LipSyncEngine lipSyncEngine() {
        return new WeightsFreeEngine(new SpeechEnvelope(EnvelopeSettings.defaults()));
    }

    @Bean
    public GenerationPipeline generationPipeline(SessionStore sessionStore, SpeechSynthesizer speechSynthesizer,
                                                 TtsAudioStore ttsAudioStore, AvatarCatalog avatarCatalog,
                                                 LipSyncEngine lipSyncEngine, HlsWriterFactory hlsWriterFactory,
                                                 StreamStore streamStore, LipsyncProperties props, Clock clock) {
        return new GenerationPipeline(sessionStore, speechSynthesizer, new AudioDecoder(), ttsAudioStore,
                avatarCatalog, lipSyncEngine, hlsWriterFactory, streamStore, new PipelineSettings(props.video().fps()),
                clock);
    }

    /** Says once, at startup, what this instance will actually run with; probing the encoder here, not assuming it. */
    @EventListener(ApplicationReadyEvent.class)
    public void reportSetup(ApplicationReadyEvent event) {
        var ctx = event.getApplicationContext();
        LipsyncProperties props = ctx.getBean(LipsyncProperties.class);
        log.info("lip-sync service ready [engine={}, encoder={}, tts={}, avatars={}, hlsDir={}, dataDir={}]",
                ctx.getBean(LipSyncEngine.class).name(), ctx.getBean(EncoderProbe.class).encoder(),
                ctx.getBean(SpeechSynthesizer.class).name(), ctx.getBean(AvatarCatalog.class).ids(),
                props.storage().hlsDir().toAbsolutePath(), props.storage().dataDir().toAbsolutePath());
        warmDefaultAvatar(ctx.getBean(AvatarCatalog.class), props);
        if (WeightsFreeEngine.NAME.equals(ctx.getBean(LipSyncEngine.class).name())) {
            log.info("MuseTalk models are not wired in; sessions report engine=weights-free (a simple jaw animation, not MuseTalk)");
        }
    }

    /**
     * Prepares the default avatar in the background, so the first request does not pay for it;
     * a request that arrives meanwhile waits for the same preparation instead of repeating it.
     */
    private static void warmDefaultAvatar(AvatarCatalog catalog, LipsyncProperties props) {
        String id = props.avatar().defaultId();
        Thread warm = new Thread(() -> {
            try {
                catalog.load(id, props.video().fps());
                log.info("default avatar prepared [avatar={}, fps={}]", id, props.video().fps());
            } catch (RuntimeException e) {
                log.warn("default avatar could not be prepared; the first request will report why [avatar={}]", id, e);
            }
        }, "avatar-warmup");
        warm.setDaemon(true);
        warm.start();
    }
}
