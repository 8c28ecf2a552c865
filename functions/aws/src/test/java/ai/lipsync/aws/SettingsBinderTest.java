package ai.lipsync.aws;

import ai.lipsync.settings.LipsyncSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsBinderTest {

    /** One case per kind of bad value: each refused at binding, naming the property and its environment name. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "LIPSYNC_VIDEO_FPS        | 0     | lipsync.video.fps",
            "LIPSYNC_VIDEO_FPS        | fast  | lipsync.video.fps",
            "LIPSYNC_QUEUE_CAPACITY   | 0     | lipsync.queue.capacity",
            "LIPSYNC_TTS_TIMEOUT      | soon  | lipsync.tts.timeout",
            "LIPSYNC_TTS_TIMEOUT      | 0s    | lipsync.tts.timeout",
            "LIPSYNC_TTS_PROVIDER     | polly | lipsync.tts.provider",
            "LIPSYNC_MODELS_GPU       | maybe | lipsync.models.gpu",
            "LIPSYNC_MODELS_BATCHSIZE | -1    | lipsync.models.batch-size",
            "LIPSYNC_AVATAR_FACEBOXES_SUN | 1,2 | lipsync.avatar.face-boxes.sun",
            "LIPSYNC_HLS_AUDIOSAMPLERATE  | 22050 | lipsync.hls.audio-sample-rate",
            "LIPSYNC_PLAYLIST_PRESIGNEXPIRY | 8d | lipsync.playlist.presign-expiry",
            "LIPSYNC_WORKER_POLLWAIT  | 30s   | lipsync.worker.poll-wait",
            "LIPSYNC_AWS_MAXRECEIVES  | 0     | lipsync.aws.max-receives",
            "LIPSYNC_AWS_MAXRECEIVES  | three | lipsync.aws.max-receives",
            "LIPSYNC_AWS_VISIBILITY   | 30s   | lipsync.aws.visibility",
            "LIPSYNC_AWS_VISIBILITY   | 13h   | lipsync.aws.visibility",
            "LIPSYNC_AWS_LEASE        | 0s    | lipsync.aws.lease",
            "LIPSYNC_AWS_SESSIONTTL   | soon  | lipsync.aws.session-ttl",
    })
    void aBadValue_isRefusedNamingTheSetting(String variable, String value, String property) {
        assertThatThrownBy(() -> SettingsBinder.bind(Map.of(variable, value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(property)
                .hasMessageContaining(SettingsBinder.environmentName(property));
    }

    @Test
    void anEnumValue_isRefusedWithTheAllowedOnes() {
        assertThatThrownBy(() -> SettingsBinder.bind(Map.of("LIPSYNC_TTS_PROVIDER", "polly")))
                .hasMessageContaining("espeak, openai, yandex");
    }

    @Test
    void environmentNames_areSpringBootsCanonicalOnes() {
        assertThat(SettingsBinder.environmentName("lipsync.video.max-bitrate")).isEqualTo("LIPSYNC_VIDEO_MAXBITRATE");
    }

    @Test
    void nothingSet_isEveryDefault() {
        assertThat(SettingsBinder.bind(Map.of())).isEqualTo(LipsyncSettings.defaults());
    }

    @Test
    void hlsSettings_canNowBeConfigured() {
        LipsyncSettings s = SettingsBinder.bind(Map.of("LIPSYNC_HLS_SEGMENTSECONDS", "2",
                "LIPSYNC_HLS_X264PRESET", "fast", "LIPSYNC_TTS_TIMEOUT", "7s"));
        assertThat(s.hls().segmentSeconds()).isEqualTo(2);
        assertThat(s.hls().x264Preset()).isEqualTo("fast");
        assertThat(s.tts().timeout()).isEqualTo(Duration.ofSeconds(7));
    }
}
