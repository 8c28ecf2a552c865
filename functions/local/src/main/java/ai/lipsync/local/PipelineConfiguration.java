package ai.lipsync.local;

import ai.lipsync.avatar.AvatarCatalog;
import ai.lipsync.avatar.PreparedAvatars;
import ai.lipsync.engine.EngineSelection;
import ai.lipsync.engine.LipSyncEngine;
import ai.lipsync.engine.UnusableSettingException;
import ai.lipsync.musetalk.ModelFileException;
import ai.lipsync.hls.EncoderProbe;
import ai.lipsync.hls.HlsSettings;
import ai.lipsync.hls.HlsWorkDirs;
import ai.lipsync.hls.HlsWriterFactory;
import ai.lipsync.musetalk.ModelFileException;
import ai.lipsync.pipeline.GenerationMetrics;
import ai.lipsync.pipeline.GenerationPipeline;
import ai.lipsync.pipeline.GenerationAssembly;
import ai.lipsync.settings.LipsyncSettings;
import ai.lipsync.pipeline.TtsAudioStore;
import ai.lipsync.session.SessionStore;
import ai.lipsync.storage.FileSystemStreamStore;
import ai.lipsync.storage.StreamStore;
import ai.lipsync.tts.SpeechSynthesizer;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;

import java.time.Clock;
import java.util.function.Predicate;

/**
 * The generation side of the embedded default: HLS on the filesystem under {@code static/hls},
 * TTS audio under {@code data/audio}, avatars from {@code data/video} plus the drawn default, and
 * MuseTalk 1.5 when its exported graphs are under {@code lipsync.models.dir} (the weights-free engine
 * when that directory is absent; a startup error when it is half-present or corrupt:
 * {@link EngineSelection}). Each part is built by core's {@link GenerationAssembly}, as the GPU worker
 * builds it; here each is a bean, so a test may replace one.
 */
@Configuration(proxyBeanMethods = false)
@Profile(LocalConfiguration.EMBEDDED) // in the aws profile the GPU worker generates, not this JVM
public class PipelineConfiguration {
    private static final Logger log = LoggerFactory.getLogger(PipelineConfiguration.class);

    @Bean
    public FileSystemStreamStore streamStore(LipsyncSettings props) {
        return new FileSystemStreamStore(props.storage().hlsDir());
    }

    @Bean
    public AvatarCatalog avatarCatalog(LipsyncSettings props) {
        return GenerationAssembly.avatarCatalog(props);
    }

    /** The catalog as the session service sees it: which avatar ids a request may name. */
    @Bean
    public Predicate<String> knownAvatars(AvatarCatalog avatarCatalog) {
        return avatarCatalog::exists;
    }

    @Bean
    public HlsSettings hlsSettings(LipsyncSettings props) {
        return HlsSettings.from(props);
    }

    /** Probes at the largest frame an avatar gives, with the streams' own configuration. */
    @Bean
    public EncoderProbe encoderProbe(LipsyncSettings props) {
        return GenerationAssembly.encoderProbe(props);
    }

    /** The encoder's scratch folders, for the janitor: a crash leaves them behind. */
    @Bean
    public HlsWorkDirs hlsWorkDirs(HlsSettings hlsSettings) {
        return new HlsWorkDirs(hlsSettings.workDir());
    }

    @Bean
    public HlsWriterFactory hlsWriterFactory(EncoderProbe encoderProbe, StreamStore streamStore) {
        return new HlsWriterFactory(encoderProbe, streamStore);
    }

    @Bean
    public TtsAudioStore ttsAudioStore(LipsyncSettings props) {
        return GenerationAssembly.ttsAudioStore(props);
    }

    /** Which engine runs, decided once from the models directory; a broken model set stops the start. */
    @Bean
    public EngineSelection.Choice engineChoice(LipsyncSettings props) {
        try {
            return GenerationAssembly.chooseEngine(props);
        } catch (ModelFileException e) {
            throw new MissingPrerequisiteException("The MuseTalk 1.5 model set is incomplete or corrupt: " + e.getMessage(),
                    "Export the graphs again into " + props.models().dir().toAbsolutePath() + " (README, 'MuseTalk 1.5 "
                            + "models'), or move that directory away (or set lipsync.models.dir) to run the "
                            + "weights-free engine.");
        }
    }

    /**
     * Checked and warmed up here, before the first session; closed by the context after the job queue
     * (MuseTalkEngine.close waits for running renderings, then frees the graphs).
     */
    @Bean
    public LipSyncEngine lipSyncEngine(EngineSelection.Choice engineChoice, LipsyncSettings props) {
        try {
            return GenerationAssembly.engine(engineChoice, props);
        } catch (UnusableSettingException e) {
            throw new MissingPrerequisiteException("Every MuseTalk session would fail with this setting: "
                    + e.getMessage(), "Change " + e.setting().key() + " (environment: " + e.setting().environment()
                    + "), or move the models directory away to run the weights-free engine.");
        }
    }

    @Bean
    public GenerationPipeline generationPipeline(SessionStore sessionStore, SpeechSynthesizer speechSynthesizer,
                                                 TtsAudioStore ttsAudioStore, AvatarCatalog avatarCatalog,
                                                 ObjectProvider<PreparedAvatars> preparedAvatars,
                                                 LipSyncEngine lipSyncEngine, HlsWriterFactory hlsWriterFactory,
                                                 LipsyncSettings props, Clock clock,
                                                 GenerationMetrics generationMetrics) {
        PreparedAvatars prepared = preparedAvatars.getIfAvailable();
        if (lipSyncEngine.needsPreparedAvatar() && prepared == null) {
            throw new MissingPrerequisiteException("MuseTalk 1.5 models were found in "
                    + props.models().dir().toAbsolutePath() + " but no avatar preparation is configured.",
                    "Use a build with avatar preparation (PreparedAvatars), or move the models directory away to "
                            + "run the weights-free engine.");
        }
        return GenerationAssembly.pipeline(props, sessionStore, speechSynthesizer, ttsAudioStore, avatarCatalog,
                prepared, lipSyncEngine, hlsWriterFactory, clock, generationMetrics);
    }

    /** The generation's meters in Spring's registry (scraped at /actuator/prometheus). */
    @Bean
    public GenerationMetrics generationMetrics(MeterRegistry meterRegistry) {
        return new GenerationMetrics(meterRegistry);
    }

    /**
     * Readiness waits for the encoder probe (h264_nvenc tried at the largest frame, else libx264). Its
     * parameters say what must exist before: the pipeline, hence the engine with its models loaded.
     */
    @Bean
    @Order(1)
    public WarmUpStep encoderWarmUp(EncoderProbe encoderProbe, GenerationPipeline generationPipeline) {
        return new WarmUpStep("encoder probe", () -> log.info("video encoder for every stream: {} [engine={}]",
                encoderProbe.encoder(), generationPipeline.engineName()));
    }

    /**
     * Prepares the default avatar before readiness, so the first request does not pay for it; a
     * request that arrives meanwhile waits for the same preparation instead of repeating it.
     */
    @Bean
    @Order(2)
    public WarmUpStep defaultAvatarWarmUp(AvatarCatalog avatarCatalog, LipsyncSettings props) {
        String id = props.avatar().defaultId();
        int fps = props.video().fps();
        return new WarmUpStep("default avatar", () -> {
            avatarCatalog.load(id, fps);
            log.info("default avatar prepared [avatar={}, fps={}]", id, fps);
        });
    }

    /** Says once, at startup, what this instance will run with (the encoder is named by its warm-up step). */
    @EventListener(ApplicationReadyEvent.class)
    public void reportSetup(ApplicationReadyEvent event) {
        var ctx = event.getApplicationContext();
        LipsyncSettings props = ctx.getBean(LipsyncSettings.class);
        log.info("lip-sync service started [engine={}, tts={}, avatars={}, hlsDir={}, dataDir={}]; warming up"
                        + " (/actuator/health/readiness)", ctx.getBean(LipSyncEngine.class).name(),
                ctx.getBean(SpeechSynthesizer.class).name(), ctx.getBean(AvatarCatalog.class).ids(),
                props.storage().hlsDir().toAbsolutePath(), props.storage().dataDir().toAbsolutePath());
        EngineSelection.Choice choice = ctx.getBean(EngineSelection.Choice.class);
        if (choice instanceof EngineSelection.UseWeightsFree weightsFree) {
            log.info("MuseTalk 1.5 is not used: {}; sessions report engine=weights-free (a simple jaw animation, "
                    + "not MuseTalk)", weightsFree.reason());
        } else if (choice instanceof EngineSelection.UseMuseTalk museTalk) {
            log.info("sessions report engine=musetalk-1.5 [{}]", museTalk.describe());
        }
    }
}
