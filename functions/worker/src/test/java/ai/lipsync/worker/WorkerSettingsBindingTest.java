package ai.lipsync.worker;

import ai.lipsync.avatar.AvatarSettings;
import ai.lipsync.aws.SettingsBinder;
import ai.lipsync.settings.LipsyncSettings;
import ai.lipsync.hls.VideoQuality;
import ai.lipsync.pipeline.PipelineSettings;
import ai.lipsync.session.Language;
import ai.lipsync.session.StartDeadline;
import ai.lipsync.settings.TtsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
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
        WorkerSettings w = worker(Map.of());

        assertThat(g.storage().dataDir()).isEqualTo(Path.of("data"));
        assertThat(g.video().fps()).isEqualTo(25);
        assertThat(g.tts().provider()).isEqualTo(TtsConfig.Provider.ESPEAK);
        assertThat(AvatarSettings.from(g.avatar()).videoDir()).isEqualTo(Path.of("data", "video"));
        assertThat(w.pollWait()).isEqualTo(Duration.ofSeconds(20));
        assertThat(w.heartbeat()).isEqualTo(g.aws().lease().dividedBy(3));
        assertThat(List.of(w.lease(), w.visibility())).containsExactly(g.aws().lease(), g.aws().visibility());
        assertThat(w.maxReceives()).isEqualTo(g.aws().maxReceives());
        assertThat(w.workerId()).isNotBlank();
        assertThat(g.models()).isEqualTo(new LipsyncSettings.Models(Path.of("models", "musetalk15"), true, 0));
        assertThat(PipelineSettings.from(g).maxSpeech()).isEqualTo(LipsyncSettings.defaults().api().maxSpeechDuration());
    }

    /** lipsync.worker.max-inference-failures under its environment name; below one, refused naming it. */
    @Test
    void maxInferenceFailures_isRead_andAZeroOneNamed() {
        assertThat(worker(Map.of()).maxInferenceFailures())
                .isEqualTo(LipsyncSettings.defaults().worker().maxInferenceFailures());
        assertThat(worker(Map.of("LIPSYNC_WORKER_MAXINFERENCEFAILURES", "5")).maxInferenceFailures()).isEqualTo(5);
        assertThatThrownBy(() -> worker(Map.of("LIPSYNC_WORKER_MAXINFERENCEFAILURES", "0")))
                .hasMessageContaining("LIPSYNC_WORKER_MAXINFERENCEFAILURES");
    }

    /** The embedded default's lipsync.api.max-speech-duration, under the name Spring maps from the environment. */
    @Test
    void maxSpeechDuration_isRead_andAZeroOneNamed() {
        LipsyncSettings g = bind(Map.of("LIPSYNC_API_MAXSPEECHDURATION", "90s"));

        assertThat(PipelineSettings.from(g)).isEqualTo(new PipelineSettings(25, Duration.ofSeconds(90)));
        assertThatThrownBy(() -> bind(Map.of("LIPSYNC_API_MAXSPEECHDURATION", "0s")))
                .hasMessageContaining("LIPSYNC_API_MAXSPEECHDURATION");
    }

    /** The worker's lease, visibility and receives are lipsync.aws.*, under the names the Lambda binds too. */
    @Test
    void awsTimings_areBoundFromLipsyncAwsVariables() {
        WorkerSettings w = worker(Map.of("LIPSYNC_AWS_LEASE", "30s", "LIPSYNC_AWS_VISIBILITY", "45s",
                "LIPSYNC_AWS_MAXRECEIVES", "5"));

        assertThat(w.lease()).isEqualTo(Duration.ofSeconds(30));
        assertThat(w.visibility()).isEqualTo(Duration.ofSeconds(45));
        assertThat(w.maxReceives()).isEqualTo(5);
        assertThat(w.heartbeat()).isEqualTo(Duration.ofSeconds(10));
    }

    /** One rule, one message: the tree refuses the pair, and the worker's own record by the same rule. */
    @Test
    void aLeaseEqualToTheVisibility_isRefusedByTheTreeAndTheWorkerSettingsWithOneMessage() {
        Throwable bound = catchThrowable(() -> bind(Map.of("LIPSYNC_AWS_LEASE", "60s", "LIPSYNC_AWS_VISIBILITY", "60s")));
        Throwable worker = catchThrowable(() -> new WorkerSettings("w", Duration.ofSeconds(1), Duration.ofSeconds(60),
                Duration.ofSeconds(60), Duration.ofSeconds(20), 3, Duration.ZERO, Duration.ofMinutes(1),
                new StartDeadline(LipsyncSettings.defaults().queue().startDeadline()),
                LipsyncSettings.defaults().worker().maxInferenceFailures()));

        assertThat(bound).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LIPSYNC_AWS_LEASE").hasMessageContaining("LIPSYNC_AWS_VISIBILITY");
        assertThat(worker).isInstanceOf(IllegalArgumentException.class);
        assertThat(SettingsBinder.withEnvironmentNames(worker.getMessage())).isEqualTo(bound.getMessage());
    }

    /** A heartbeat the lease cannot take is refused naming both settings and their variables. */
    @Test
    void aHeartbeatLongerThanHalfTheLease_isRefusedNamingBothSettings() {
        assertThatThrownBy(() -> worker(Map.of("LIPSYNC_AWS_LEASE", "8s", "LIPSYNC_WORKER_HEARTBEAT", "5s")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lipsync.worker.heartbeat (LIPSYNC_WORKER_HEARTBEAT)")
                .hasMessageContaining("lipsync.aws.lease (LIPSYNC_AWS_LEASE)");
    }

    /**
     * The container with a bad lipsync.aws.* value stops at startup (exit status NOT_STARTED), its log
     * naming the variable, before it touches any queue (the endpoint here answers nothing).
     */
    @Test
    void badAwsSettings_stopTheWorkerProcessAtStartupNamingTheVariable(@TempDir Path root) throws Exception {
        Map<String, String> aws = Map.of("AWS_REGION", "us-east-1", "AWS_ENDPOINT_URL", "http://127.0.0.1:9",
                "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test",
                "LIPSYNC_STORAGE_DATADIR", root.resolve("data").toString());
        Map<String, String> shortVisibility = new HashMap<>(aws);
        shortVisibility.put("LIPSYNC_AWS_VISIBILITY", "30s");
        Map<String, String> noReceives = new HashMap<>(aws);
        noReceives.put("LIPSYNC_AWS_MAXRECEIVES", "0");

        try (WorkerProcess worker = WorkerProcess.start(shortVisibility, root.resolve("visibility.log"))) {
            assertThat(worker.waitFor(120)).as(worker.output()).isEqualTo(WorkerMain.NOT_STARTED);
            assertThat(worker.output()).contains("worker not started")
                    .contains("lipsync.aws.lease (LIPSYNC_AWS_LEASE) must be shorter than the job visibility timeout"
                            + " lipsync.aws.visibility (LIPSYNC_AWS_VISIBILITY), was 60 s against 30 s");
        }
        try (WorkerProcess worker = WorkerProcess.start(noReceives, root.resolve("receives.log"))) {
            assertThat(worker.waitFor(120)).as(worker.output()).isEqualTo(WorkerMain.NOT_STARTED);
            assertThat(worker.output()).contains("worker not started")
                    .contains("lipsync.aws.max-receives (LIPSYNC_AWS_MAXRECEIVES) must be 1..1000");
        }
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
        WorkerSettings w = worker(env);

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
        assertThatThrownBy(() -> worker(Map.of("LIPSYNC_WORKER_HEARTBEAT", "soon")))
                .hasMessageContaining("LIPSYNC_WORKER_HEARTBEAT");
        assertThatThrownBy(() -> worker(Map.of("LIPSYNC_AWS_VISIBILITY", "1m")))
                .hasMessageContaining("must be shorter than the job visibility timeout")
                .hasMessageContaining("LIPSYNC_AWS_VISIBILITY");
    }

    private static LipsyncSettings bind(Map<String, String> env) {
        return SettingsBinder.bind(env);
    }

    /** As WorkerMain builds them: the bound lipsync.worker.* with lipsync.aws.*'s timings. */
    private static WorkerSettings worker(Map<String, String> env) {
        return WorkerSettings.of(bind(env));
    }
}
