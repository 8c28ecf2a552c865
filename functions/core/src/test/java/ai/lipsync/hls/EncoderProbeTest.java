package ai.lipsync.hls;

import ai.lipsync.audio.PcmAudio;
import ai.lipsync.session.SessionIds;
import ai.lipsync.storage.FileSystemStreamStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

class EncoderProbeTest {
    private static final int FPS = 25;

    @TempDir
    Path temp;

    @Test
    void encoder_withOnlyLibx264_picksLibx264() {
        EncoderProbe probe = probe(List.of(VideoEncoder.X264), RecorderOpener.FFMPEG);

        assertThat(probe.encoder()).isEqualTo(VideoEncoder.X264);
        assertThat(probe.encoderPassedProbe()).as("libx264 really encoded the probe frames").isTrue();
    }

    @Test
    void encoder_onAHostWhereNvencDoesNotOpen_fallsBackToLibx264() {
        assumeFalse(RecordingOpener.nvencOpensHere(settings()), "NVENC opens on this host: it may rightly win");

        EncoderProbe probe = probe(List.of(VideoEncoder.NVENC, VideoEncoder.X264), RecorderOpener.FFMPEG);

        assertThat(probe.encoder()).isEqualTo(VideoEncoder.X264);
        assertThat(probe.encoderPassedProbe()).isTrue();
    }

    @Test
    void encoderPassedProbe_whenNoCandidateEncodes_isFalse() {
        assumeFalse(RecordingOpener.nvencOpensHere(settings()), "NVENC opens on this host: it may rightly pass");
        EncoderProbe probe = probe(List.of(VideoEncoder.NVENC), RecorderOpener.FFMPEG);

        assertThat(probe.encoder()).isEqualTo(VideoEncoder.NVENC);
        assertThat(probe.encoderPassedProbe()).isFalse();
    }

    @Test
    void encoder_isProbedOnceAndLeavesNoFiles() throws Exception {
        RecordingOpener opener = new RecordingOpener();
        EncoderProbe probe = probe(List.of(VideoEncoder.NVENC, VideoEncoder.X264), opener);

        VideoEncoder first = probe.encoder();
        int opens = opener.attempts.size();

        assertThat(probe.encoder()).isSameAs(first);
        assertThat(opener.attempts).as("no second probe").hasSize(opens);
        assertThat(Files.list(temp.resolve("work"))).isEmpty();
    }

    @Test
    void probe_opensItsEncoderExactlyAsTheStreamsDo() throws Exception {
        RecordingOpener opener = new RecordingOpener();
        EncoderProbe probe = probe(List.of(VideoEncoder.NVENC, VideoEncoder.X264), opener);
        VideoEncoder chosen = probe.encoder();
        RecordingOpener.Attempt probed = opener.of(chosen).get(0);

        HlsWriterFactory factory = new HlsWriterFactory(probe, new FileSystemStreamStore(temp.resolve("hls")));
        try (HlsSegmentWriter writer = factory.open(SessionIds.create().next(), 320, 240, FPS,
                new PcmAudio(new float[1_600], 16_000), 1, (i, d) -> { })) {
            writer.write(HlsSegmentWriterTest.pattern(320, 240, 0));
            writer.finish();
        }

        List<RecordingOpener.Attempt> opened = opener.of(chosen);
        assertThat(opened).as(chosen + ": the probe's open and the stream's").hasSize(2);
        assertThat(opened.get(1)).isEqualTo(probed.sized(320, 240));
        assertThat(probed.width()).as("probed at the largest frame side").isEqualTo(640);
    }

    @Test
    void afterNvencFailsTheProbe_noStreamTriesIt() throws Exception {
        assumeFalse(RecordingOpener.nvencOpensHere(settings()), "NVENC opens on this host");
        RecordingOpener opener = new RecordingOpener();
        EncoderProbe probe = probe(List.of(VideoEncoder.NVENC, VideoEncoder.X264), opener);
        HlsWriterFactory factory = new HlsWriterFactory(probe, new FileSystemStreamStore(temp.resolve("hls")));

        for (int session = 0; session < 3; session++) {
            try (HlsSegmentWriter writer = factory.open(SessionIds.create().next(), 320, 240, FPS,
                    new PcmAudio(new float[1_600], 16_000), 1, (i, d) -> { })) {
                writer.write(HlsSegmentWriterTest.pattern(320, 240, session));
                writer.finish();
            }
        }

        assertThat(opener.of(VideoEncoder.NVENC)).as("NVENC opens: the probe's only").hasSize(1);
        assertThat(opener.of(VideoEncoder.X264)).as("libx264: the probe's and three streams'").hasSize(4);
    }

    private EncoderProbe probe(List<VideoEncoder> candidates, RecorderOpener opener) {
        return new EncoderProbe(candidates, new RecorderConfiguration(settings(), opener), 640, 640, FPS);
    }

    private HlsSettings settings() {
        return HlsSettings.defaults().withWorkDir(temp.resolve("work"));
    }
}
