package ai.lipsync.local;

import ai.lipsync.avatar.AvatarSettings;
import ai.lipsync.preparation.FaceBox;
import ai.lipsync.hls.HlsSettings;
import ai.lipsync.hls.VideoQuality;
import ai.lipsync.aws.SettingsBinder;
import ai.lipsync.settings.LipsyncSettings;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LipsyncPropertiesTest {

    @Test
    void avatarToSettings_withConfiguredFaceBox_passesItToTheCatalog() {
        var avatar = new LipsyncSettings.Avatar("default", null, Path.of("videos"),
                Map.of("anna", "10, 20, 200, 240"), 5.0, 640, Path.of("prepared"), null, null);

        AvatarSettings settings = AvatarSettings.from(avatar);

        assertThat(settings.faceBoxes()).containsEntry("anna", new FaceBox(10, 20, 200, 240));
        assertThat(settings.videoDir()).isEqualTo(Path.of("videos"));
        assertThat(settings.maxSeconds()).isEqualTo(5);
        assertThat(settings.maxLongSide()).isEqualTo(640);
        assertThat(settings.preparedDir()).isEqualTo(Path.of("prepared"));
    }

    @Test
    void avatarToSettings_withMalformedFaceBox_namesTheSyntax() {
        assertThatThrownBy(() -> new LipsyncSettings.Avatar("default", null, Path.of("videos"),
                Map.of("anna", "10,20,200"), 5.0, 640, Path.of("prepared"), null, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("x,y,width,height");
    }

    @Test
    void videoQuality_boundFromTheEnvironmentName_reachesTheEncoderSettings() {
        VideoQuality d = VideoQuality.defaults();

        assertThat(hlsSettings(Map.of()).quality()).as("unset: the one default").isEqualTo(d);
        assertThat(hlsSettings(Map.of("LIPSYNC_VIDEO_QUALITY", "28")).quality())
                .isEqualTo(new VideoQuality(28, d.maxBitrate()));
        assertThat(hlsSettings(Map.of("lipsync.video.quality", "20", "lipsync.video.max-bitrate", "2500000")).quality())
                .isEqualTo(new VideoQuality(20, 2_500_000));
    }

    @Test
    void avatarCacheSize_boundFromTheEnvironmentName_boundsTheAvatarsInMemory() {
        assertThat(AvatarSettings.from(properties(Map.of()).avatar()).cachedAvatars()).as("unset: the one default")
                .isEqualTo(AvatarSettings.DEFAULT_CACHED_AVATARS);
        assertThat(AvatarSettings.from(properties(Map.of("LIPSYNC_AVATAR_CACHESIZE", "9")).avatar()).cachedAvatars())
                .isEqualTo(9);
        assertThatThrownBy(() -> properties(Map.of("lipsync.avatar.cache-size", "0")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lipsync.avatar.cache-size");
    }

    @Test
    void ttsChunkLimits_boundFromTheEnvironmentName() {
        assertThat(properties(Map.of("LIPSYNC_TTS_MAXCHUNKCHARS", "120", "LIPSYNC_TTS_FIRSTCHUNKCHARS", "40",
                "LIPSYNC_TTS_LOOKAHEADCHUNKS", "3")).tts())
                .extracting(t -> t.maxChunkChars(), t -> t.firstChunkChars(), t -> t.lookAheadChunks())
                .containsExactly(120, 40, 3);
        assertThatThrownBy(() -> properties(Map.of("lipsync.tts.look-ahead-chunks", "0")))
                .hasStackTraceContaining("lipsync.tts.look-ahead-chunks");
        assertThatThrownBy(() -> properties(Map.of("lipsync.tts.max-chunk-chars", "50", "lipsync.tts.first-chunk-chars", "60")))
                .hasStackTraceContaining("lipsync.tts.first-chunk-chars");
    }

    private static LipsyncSettings properties(Map<String, Object> environment) {
        var source = new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environment);
        return SettingsBinder.bind(ConfigurationPropertySources.from(source));
    }

    /** What PipelineConfiguration hands the encoders, from the environment (or dotted names) as Spring binds them. */
    private static HlsSettings hlsSettings(Map<String, Object> environment) {
        var source = new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environment);
        return new PipelineConfiguration().hlsSettings(SettingsBinder.bind(ConfigurationPropertySources.from(source)));
    }

    @Test
    void ttsToString_neverShowsTheKey() {
        var tts = new ai.lipsync.settings.TtsConfig(ai.lipsync.settings.TtsConfig.Provider.OPENAI, null, "sk-secret-123",
                Map.of(), null, null, java.time.Duration.ofSeconds(5), null,
                ai.lipsync.settings.TtsConfig.YandexAuth.API_KEY, "espeak-ng", null, null, null);

        assertThat(tts.toString()).doesNotContain("sk-secret-123").contains("***");
    }
}
