package ai.lipsync.hls;

import ai.lipsync.audio.PcmAudio;
import ai.lipsync.session.SessionIds;
import ai.lipsync.storage.FileSystemStreamStore;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

class RecorderConfigurationTest {
    private static final int FPS = 25;
    private static final String X264_SEI = "x264 - core ";

    @TempDir
    Path temp;

    /** Not the default target, so that a value which never left the settings cannot pass. */
    private final VideoQuality quality = new VideoQuality(VideoQuality.defaults().constantQuality() + 4,
            VideoQuality.defaults().maxBitrate() / 2);

    @Test
    void libx264Stream_isEncodedWithTheConfiguredRateControl() throws Exception {
        HlsSettings settings = HlsSettings.defaults().withQuality(quality).withWorkDir(temp.resolve("work"));
        EncoderProbe x264 = new EncoderProbe(List.of(VideoEncoder.X264), new RecorderConfiguration(settings),
                320, 240, FPS);
        String session = SessionIds.create().next();
        int frames = 2 * FPS;
        try (HlsSegmentWriter writer = new HlsWriterFactory(x264, new FileSystemStreamStore(temp.resolve("hls")))
                .open(session, 320, 240, FPS, new PcmAudio(new float[32_000], 16_000), frames, (i, d) -> { })) {
            for (int i = 0; i < frames; i++) {
                writer.write(HlsSegmentWriterTest.pattern(320, 240, i));
            }
            writer.finish();
        }

        // x264 writes its whole settings string into an SEI of the first frame: the encoder's own account.
        Map<String, String> used = x264Settings(temp.resolve("hls").resolve(session).resolve("segment_000.m4s"));
        assertThat(used).containsEntry("rc", "crf").containsKeys("crf", "vbv_maxrate", "vbv_bufsize", "keyint");
        assertThat(Double.parseDouble(used.get("crf"))).isCloseTo(quality.constantQuality(), offset(1e-9));
        assertThat(Integer.parseInt(used.get("vbv_maxrate"))).isEqualTo(quality.maxBitrate() / 1000);
        assertThat(Integer.parseInt(used.get("vbv_bufsize"))).isEqualTo(quality.bufferSize() / 1000);
        assertThat(Integer.parseInt(used.get("keyint"))).isEqualTo(FPS * settings.segmentSeconds());
        assertThat(used).containsEntry("scenecut", "0").doesNotContainKey("bitrate");
    }

    @Test
    void nvencRecorder_carriesTheQualityTargetAndNoAverageBitrate() {
        HlsSettings settings = HlsSettings.defaults().withQuality(quality).withWorkDir(temp.resolve("work"));
        int javacvDefaultBitrate = new FFmpegFrameRecorder("unused.mp4", 2, 2).getVideoBitrate();

        FFmpegFrameRecorder nvenc = new RecorderConfiguration(settings)
                .configure(temp, VideoEncoder.NVENC, 320, 240, FPS);

        assertThat(nvenc.getVideoCodecName()).isEqualTo("h264_nvenc");
        assertThat(nvenc.getVideoOptions())
                .containsEntry("rc", "vbr")
                .containsEntry("cq", Integer.toString(quality.constantQuality()))
                .containsEntry("maxrate", Integer.toString(quality.maxBitrate()))
                .containsEntry("bufsize", Integer.toString(quality.bufferSize()))
                .containsEntry("preset", settings.nvencPreset())
                .containsEntry("forced-idr", "1");
        assertThat(nvenc.getVideoBitrate()).as("JavaCV's default average bitrate (%d b/s) is not asked for",
                javacvDefaultBitrate).isNotEqualTo(javacvDefaultBitrate).isZero();
        assertThat(nvenc.getGopSize()).isEqualTo(FPS * settings.segmentSeconds());
    }

    @Test
    void bothEncoders_getTheSameCap() {
        RecorderConfiguration recorders = new RecorderConfiguration(HlsSettings.defaults().withQuality(quality));
        Map<String, String> x264 = recorders.videoOptions(VideoEncoder.X264, FPS);
        Map<String, String> nvenc = recorders.videoOptions(VideoEncoder.NVENC, FPS);

        assertThat(x264.get("crf")).isEqualTo(nvenc.get("cq"));
        assertThat(x264.get("maxrate")).isEqualTo(nvenc.get("maxrate"));
        assertThat(x264.get("bufsize")).isEqualTo(nvenc.get("bufsize"));
    }

    /** The {@code key=value} options of the x264 settings SEI in {@code file}. */
    static Map<String, String> x264Settings(Path file) throws Exception {
        String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        int start = bytes.indexOf(X264_SEI);
        assertThat(start).as("an x264 settings SEI in %s", file).isNotNegative();
        int end = bytes.indexOf('\0', start);
        String text = bytes.substring(start, end);
        int options = text.indexOf(" - options: ");
        assertThat(options).as("options in '%s'", text).isPositive();
        Map<String, String> parsed = new HashMap<>();
        for (String option : text.substring(options + " - options: ".length()).trim().split(" ")) {
            int eq = option.indexOf('=');
            if (eq > 0) {
                parsed.put(option.substring(0, eq), option.substring(eq + 1));
            }
        }
        return parsed;
    }
}
