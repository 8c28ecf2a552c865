package ai.lipsync.hls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EncoderProbeTest {
    @TempDir
    Path temp;

    @Test
    void encoder_withOnlyLibx264_picksLibx264() {
        EncoderProbe probe = new EncoderProbe(List.of(VideoEncoder.X264), temp);

        assertThat(probe.encoder()).isEqualTo(VideoEncoder.X264);
        assertThat(probe.encoderPassedProbe()).as("libx264 really encoded the probe frames").isTrue();
    }

    @Test
    void encoder_onAHostWithoutAnNvidiaDriver_fallsBackToLibx264() {
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.exists(Path.of("/dev/nvidiactl")),
                "an NVIDIA driver is present: NVENC may legitimately win here");

        EncoderProbe probe = new EncoderProbe(List.of(VideoEncoder.NVENC, VideoEncoder.X264), temp);

        assertThat(probe.encoder()).isEqualTo(VideoEncoder.X264);
        assertThat(probe.encoderPassedProbe()).isTrue();
    }

    @Test
    void encoderPassedProbe_whenNoCandidateEncodes_isFalse() {
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.exists(Path.of("/dev/nvidiactl")),
                "an NVIDIA driver is present: NVENC may legitimately pass here");
        EncoderProbe probe = new EncoderProbe(List.of(VideoEncoder.NVENC), temp);

        assertThat(probe.encoder()).isEqualTo(VideoEncoder.NVENC);
        assertThat(probe.encoderPassedProbe()).isFalse();
    }

    @Test
    void encoder_isProbedOnceAndLeavesNoFiles() throws Exception {
        EncoderProbe probe = new EncoderProbe(List.of(VideoEncoder.NVENC, VideoEncoder.X264), temp);

        VideoEncoder first = probe.encoder();

        assertThat(probe.encoder()).isSameAs(first);
        assertThat(Files.list(temp)).isEmpty();
    }
}
