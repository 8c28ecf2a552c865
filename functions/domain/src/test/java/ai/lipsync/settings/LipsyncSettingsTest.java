package ai.lipsync.settings;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each default of the tree, asserted once, here. */
class LipsyncSettingsTest {
    private final LipsyncSettings d = LipsyncSettings.defaults();

    @Test
    void api_queue_storage_retention_startup() {
        assertThat(d.api()).isEqualTo(new LipsyncSettings.Api(2000, Duration.ofMinutes(5)));
        assertThat(d.queue()).isEqualTo(new LipsyncSettings.Queue(16, 1, Duration.ofSeconds(10), Duration.ofSeconds(120),
                Duration.ofMinutes(2)));
        assertThat(d.storage()).isEqualTo(new LipsyncSettings.Storage(Path.of("data"), Path.of("static/hls")));
        assertThat(d.retention()).isEqualTo(new LipsyncSettings.Retention(Duration.ofHours(24), Duration.ofMinutes(10)));
        assertThat(d.startup().checkPrerequisites()).isTrue();
    }

    @Test
    void tts_isLocalEspeakWithA20sTimeout_in250CharacterChunks_theFirstOf80_twoAhead() {
        assertThat(d.tts()).isEqualTo(new TtsConfig(TtsConfig.Provider.ESPEAK, null, null, null, null, null,
                Duration.ofSeconds(20), null, TtsConfig.YandexAuth.API_KEY, "espeak-ng", 250, 80, 2));
    }

    @Test
    void tts_chunkLimits_areChecked_byName() {
        assertThat(new TtsConfig(null, null, null, null, null, null, null, null, null, null, 40, null, null).firstChunkChars())
                .as("an unset first chunk never exceeds a smaller maximum").isEqualTo(40);
        assertThatThrownBy(() -> new TtsConfig(null, null, null, null, null, null, null, null, null, null, 0, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lipsync.tts.max-chunk-chars");
        assertThatThrownBy(() -> new TtsConfig(null, null, null, null, null, null, null, null, null, null, 100, 101, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lipsync.tts.first-chunk-chars");
        assertThatThrownBy(() -> new TtsConfig(null, null, null, null, null, null, null, null, null, null, null, null, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lipsync.tts.look-ahead-chunks");
    }

    @Test
    void avatar() {
        LipsyncSettings.Avatar a = d.avatar();
        assertThat(a.videoDir()).isEqualTo(Path.of("data/video"));
        assertThat(a.maxSeconds()).isEqualTo(8);
        assertThat(a.maxLongSide()).isEqualTo(720);
        assertThat(a.preparedDir()).isEqualTo(Path.of("results/webapp/avatar"));
        assertThat(a.cacheSize()).isEqualTo(4);
        assertThat(a.faceBoxes()).isEmpty();
        assertThat(d.avatar().defaultId()).isEqualTo("default");
        assertThat(d.avatar().ids()).isEqualTo(List.of("default"));
        assertThat(d.avatar().maxUploadBytes()).isEqualTo(209_715_200L);
    }

    @Test
    void video_hls() {
        assertThat(d.video()).isEqualTo(new LipsyncSettings.Video(25, 23, 4_000_000));
        assertThat(d.hls()).isEqualTo(new LipsyncSettings.Hls(1, "veryfast", "p4", 48_000, 96_000));
        assertThat(d.encoderWorkDir()).isEqualTo(Path.of("data/work"));
    }

    @Test
    void models_playlist_worker() {
        assertThat(d.models()).isEqualTo(new LipsyncSettings.Models(Path.of("models/musetalk15"), true, 0));
        assertThat(d.playlist()).isEqualTo(new LipsyncSettings.Playlist(Duration.ofHours(1), null));
        assertThat(d.playlist().cloudFront()).isFalse();
        LipsyncSettings.Worker w = d.worker();
        assertThat(w.id()).isNull();
        assertThat(w.pollWait()).isEqualTo(Duration.ofSeconds(20));
        assertThat(w.heartbeatFor(Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(20));
        assertThat(w.shutdownGrace()).isEqualTo(Duration.ofSeconds(90));
        assertThat(w.dlqSweep()).isEqualTo(Duration.ofSeconds(60));
        assertThat(w.maxInferenceFailures()).isEqualTo(3);
    }

    @Test
    void maxInferenceFailures_belowOne_isRefusedNamingTheSetting() {
        assertThatThrownBy(() -> new LipsyncSettings.Worker(null, null, null, null, null, null, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lipsync.worker.max-inference-failures must be at least 1, was 0");
    }

    @Test
    void aws() {
        assertThat(d.aws()).isEqualTo(new LipsyncSettings.Aws("lipsync-sessions", "lipsync-streams", "lipsync-jobs",
                null, "lipsync-jobs-dlq", Duration.ofHours(24), Duration.ofSeconds(60), Duration.ofSeconds(90), 3));
    }

    @Test
    void startDeadline_thatIsNotPositive_isRefusedNamingTheSetting() {
        for (Duration bad : List.of(Duration.ZERO, Duration.ofSeconds(-5))) {
            assertThatThrownBy(() -> new LipsyncSettings.Queue(null, null, null, null, bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("lipsync.queue.start-deadline must be positive, was " + bad);
        }
        assertThat(new LipsyncSettings.Queue(null, null, null, null, Duration.ofMillis(1)).startDeadline())
                .isEqualTo(Duration.ofMillis(1));
    }
}
