package ai.lipsync.worker;

import ai.lipsync.avatar.AvatarSettings;
import ai.lipsync.aws.AwsSettings;
import ai.lipsync.aws.LeaseTiming;
import ai.lipsync.aws.SettingsBinder;
import ai.lipsync.settings.LipsyncSettings;
import ai.lipsync.hls.VideoQuality;
import ai.lipsync.pipeline.PipelineSettings;
import ai.lipsync.session.Language;
import ai.lipsync.settings.TtsConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The worker's settings as {@link WorkerMain} binds them from its environment ({@link SettingsBinder}:
 * the names the web app and the Lambda bind too).
 */
class WorkerSettingsBindingTest {

    @Test
    void emptyEnvironment_givesTheLaptopDefaults() {
        LipsyncSettings g = bind(Map.of());
        WorkerSettings w = worker(Map.of(), Duration.ofSeconds(90), Duration.ofSeconds(60), 3);

        assertThat(g.storage().dataDir()).isEqualTo(Path.of("data"));
        assertThat(g.video().fps()).isEqualTo(25);
        assertThat(g.tts().provider()).isEqualTo(TtsConfig.Provider.ESPEAK);
        assertThat(AvatarSettings.from(g.avatar()).videoDir()).isEqualTo(Path.of("data", "video"));
        assertThat(w.pollWait()).isEqualTo(Duration.ofSeconds(20));
        assertThat(w.heartbeat()).isEqualTo(Duration.ofSeconds(20));
        assertThat(w.workerId()).isNotBlank();
        assertThat(g.models()).isEqualTo(new LipsyncSettings.Models(Path.of("models", "musetalk15"), true, 0));
        assertThat(PipelineSettings.from(g).maxSpeech()).isEqualTo(LipsyncSettings.defaults().api().maxSpeechDuration());
    }

    /** The embedded default's lipsync.api.max-speech-duration, under the name Spring maps from the environment. */
    @Test
    void maxSpeechDuration_isRead_andAZeroOneNamed() {
        LipsyncSettings g = bind(Map.of("LIPSYNC_API_MAXSPEECHDURATION", "90s"));

        assertThat(PipelineSettings.from(g)).isEqualTo(new PipelineSettings(25, Duration.ofSeconds(90)));
        assertThatThrownBy(() -> bind(Map.of("LIPSYNC_API_MAXSPEECHDURATION", "0s")))
                .hasMessageContaining("LIPSYNC_API_MAXSPEECHDURATION");
    }

    /** One rule, one message: the web app and the worker refuse the same pair the same way. */
    @Test
    void aLeaseEqualToTheVisibility_isRefusedByTheAwsAndTheWorkerSettingsWithOneMessage() {
        Map<String, String> env = Map.of(LeaseTiming.LEASE_VARIABLE, "60", LeaseTiming.VISIBILITY_VARIABLE, "60");

        Throwable aws = catchThrowable(() -> AwsSettings.fromEnvironment(env));
        Throwable worker = catchThrowable(() -> worker(env, Duration.ofSeconds(60), Duration.ofSeconds(60), 3));

        assertThat(aws).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(LeaseTiming.LEASE_VARIABLE).hasMessageContaining(LeaseTiming.VISIBILITY_VARIABLE);
        assertThat(worker).isInstanceOf(IllegalArgumentException.class);
        assertThat(worker.getMessage()).endsWith(aws.getMessage());
        assertThat(worker(env, Duration.ofSeconds(61), Duration.ofSeconds(60), 3).lease()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void modelVariables_areRead_andBadOnesNamed() {
        LipsyncSettings g = bind(Map.of("LIPSYNC_MODELS_DIR", "/models/musetalk15",
                "LIPSYNC_MODELS_GPU", "false", "LIPSYNC_MODELS_BATCHSIZE", "8"));

        assertThat(g.models()).isEqualTo(new LipsyncSettings.Models(Path.of("/models/musetalk15"), false, 8));
        assertThatThrownBy(() -> bind(Map.of("LIPSYNC_MODELS_GPU", "maybe")))
                .hasMessageContaining("LIPSYNC_MODELS_GPU");
        assertThatThrownBy(() -> bind(Map.of("LIPSYNC_MODELS_BATCHSIZE", "-1")))
                .hasMessageContaining("LIPSYNC_MODELS_BATCHSIZE");
    }

    @Test
    void videoQualityVariables_areRead_unsetOnesDefault_andBadOnesNamed() {
        VideoQuality d = VideoQuality.defaults();

        assertThat(VideoQuality.from(bind(Map.of()).video())).isEqualTo(d);
        assertThat(VideoQuality.from(bind(Map.of("LIPSYNC_VIDEO_QUALITY", "28")).video()))
                .isEqualTo(new VideoQuality(28, d.maxBitrate()));
        assertThat(VideoQuality.from(bind(Map.of("LIPSYNC_VIDEO_QUALITY", "20", "LIPSYNC_VIDEO_MAXBITRATE", "2500000"))
                .video())).isEqualTo(new VideoQuality(20, 2_500_000));
        assertThatThrownBy(() -> bind(Map.of("LIPSYNC_VIDEO_QUALITY", "60")))
                .hasMessageContaining("LIPSYNC_VIDEO_QUALITY").hasMessageContaining("1..51");
        assertThatThrownBy(() -> bind(Map.of("LIPSYNC_VIDEO_MAXBITRATE", "fast")))
                .hasMessageContaining("LIPSYNC_VIDEO_MAXBITRATE");
    }

    @Test
    void avatarCacheSize_isReadWithTheOneDefault() {
        assertThat(AvatarSettings.from(bind(Map.of()).avatar()).cachedAvatars())
                .isEqualTo(AvatarSettings.DEFAULT_CACHED_AVATARS);
        assertThat(AvatarSettings.from(bind(Map.of("LIPSYNC_AVATAR_CACHESIZE", "2")).avatar())
                .cachedAvatars()).isEqualTo(2);
    }

    @Test
    void springStyleNames_andDurations_areRead() {
        Map<String, String> env = Map.of(
                "LIPSYNC_WORKER_ID", "gpu-1", "LIPSYNC_WORKER_HEARTBEAT", "500ms", "LIPSYNC_WORKER_POLLWAIT", "2s",
                "LIPSYNC_TTS_PROVIDER", "openai", "LIPSYNC_TTS_URL", "http://tts.local", "LIPSYNC_TTS_TIMEOUT", "PT5S",
                "LIPSYNC_TTS_VOICES_RU", "alena", "LIPSYNC_VIDEO_FPS", "30", "LIPSYNC_STORAGE_DATADIR", "/var/data",
                "LIPSYNC_AVATAR_FACEBOXES_SUN", "10,20,100,120");

        LipsyncSettings g = bind(env);
        WorkerSettings w = worker(env, Duration.ofSeconds(3), Duration.ofSeconds(2), 2);

        assertThat(w.workerId()).isEqualTo("gpu-1");
        assertThat(w.heartbeat()).isEqualTo(Duration.ofMillis(500));
        assertThat(w.pollWait()).isEqualTo(Duration.ofSeconds(2));
        assertThat(g.tts().provider()).isEqualTo(TtsConfig.Provider.OPENAI);
        assertThat(g.tts().timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(g.tts().voices()).containsEntry(Language.RU, "alena");
        assertThat(g.video().fps()).isEqualTo(30);
        assertThat(g.storage().dataDir()).isEqualTo(Path.of("/var/data"));
        assertThat(AvatarSettings.from(g.avatar()).faceBoxes()).containsKey("sun");
    }

    @Test
    void unusableValues_failNamingTheVariable() {
        assertThatThrownBy(() -> bind(Map.of("LIPSYNC_TTS_PROVIDER", "polly")))
                .hasMessageContaining("LIPSYNC_TTS_PROVIDER").hasMessageContaining("espeak");
        assertThatThrownBy(() -> worker(Map.of("LIPSYNC_WORKER_HEARTBEAT", "soon"), Duration.ofSeconds(90),
                Duration.ofSeconds(60), 3))
                .hasMessageContaining("LIPSYNC_WORKER_HEARTBEAT");
        assertThatThrownBy(() -> worker(Map.of(), Duration.ofSeconds(60),
                Duration.ofSeconds(60), 3)).hasMessageContaining("must be shorter than the job visibility timeout");
    }

    private static LipsyncSettings bind(Map<String, String> env) {
        return SettingsBinder.bind(env);
    }

    /** As WorkerMain builds them: the bound lipsync.worker.* with the AWS settings' timings. */
    private static WorkerSettings worker(Map<String, String> env, Duration visibility, Duration lease, int receives) {
        return WorkerSettings.of(bind(env), visibility, lease, receives);
    }
}
