package ai.lipsync.pipeline;

import ai.lipsync.avatar.AvatarSettings;
import ai.lipsync.hls.HlsSettings;
import ai.lipsync.hls.VideoQuality;
import ai.lipsync.session.StartDeadline;
import ai.lipsync.settings.LipsyncSettings;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The records the media, lip-sync and generation modules run on are made from the one settings tree
 * (the domain's {@link LipsyncSettings}): each value comes through, and their defaults are the tree's.
 */
class SettingsRecordsTest {
    private final LipsyncSettings d = LipsyncSettings.defaults();

    @Test
    void defaults_areTheTreesDefaults() {
        assertThat(AvatarSettings.defaults()).isEqualTo(AvatarSettings.from(d.avatar()));
        assertThat(VideoQuality.defaults()).isEqualTo(VideoQuality.from(d.video()));
        assertThat(HlsSettings.defaults().withWorkDir(d.encoderWorkDir())).isEqualTo(HlsSettings.from(d));
        assertThat(PipelineSettings.defaults()).isEqualTo(PipelineSettings.from(d));
    }

    @Test
    void everyValueComesThrough() {
        LipsyncSettings.Avatar a = new LipsyncSettings.Avatar(null, null, d.avatar().videoDir().resolve("x"),
                Map.of("anna", "1,2,30,40"), 3.5, 480, null, 2, null);
        AvatarSettings avatar = AvatarSettings.from(a);
        assertThat(avatar.videoDir()).isEqualTo(a.videoDir());
        assertThat(avatar.maxSeconds()).isEqualTo(a.maxSeconds());
        assertThat(avatar.maxLongSide()).isEqualTo(a.maxLongSide());
        assertThat(avatar.cachedAvatars()).isEqualTo(a.cacheSize());
        assertThat(avatar.faceBoxes()).isEqualTo(a.parsedFaceBoxes());

        LipsyncSettings s = new LipsyncSettings(new LipsyncSettings.Api(null, java.time.Duration.ofSeconds(90)),
                new LipsyncSettings.Queue(null, null, null, null, java.time.Duration.ofSeconds(45)), null, null, null,
                new LipsyncSettings.Video(20, 28, 2_000_000),
                new LipsyncSettings.Hls(2, "fast", "p2", 44_100, 64_000), null, null, null, null, null, null);
        HlsSettings hls = HlsSettings.from(s);
        assertThat(hls.segmentSeconds()).isEqualTo(s.hls().segmentSeconds());
        assertThat(hls.x264Preset()).isEqualTo(s.hls().x264Preset());
        assertThat(hls.nvencPreset()).isEqualTo(s.hls().nvencPreset());
        assertThat(hls.audioSampleRate()).isEqualTo(s.hls().audioSampleRate());
        assertThat(hls.audioBitrate()).isEqualTo(s.hls().audioBitrate());
        assertThat(hls.quality()).isEqualTo(new VideoQuality(s.video().quality(), s.video().maxBitrate()));
        assertThat(PipelineSettings.from(s)).isEqualTo(new PipelineSettings(s.video().fps(),
                s.api().maxSpeechDuration(), new StartDeadline(s.queue().startDeadline()),
                PipelineSettings.Chunks.from(s.tts())));
    }

    @Test
    void theTtsHttpClient_hasAConnectTimeout() {
        assertThat(GenerationAssembly.ttsHttpClient().connectTimeout()).contains(GenerationAssembly.TTS_CONNECT_TIMEOUT);
    }
}
