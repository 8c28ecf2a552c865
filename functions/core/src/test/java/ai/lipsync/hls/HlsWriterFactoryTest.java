package ai.lipsync.hls;

import ai.lipsync.audio.PcmAudio;
import ai.lipsync.session.SessionIds;
import ai.lipsync.storage.FileSystemStreamStore;
import ai.lipsync.testing.HlsStreamInspector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

class HlsWriterFactoryTest {
    private static final int FPS = 25;

    @TempDir
    Path temp;

    /**
     * Only NVENC to choose from: the probe settles on it as the last resort and the first stream's
     * open then fails, as a GPU whose NVENC session table is full would. That stream and every later
     * one are libx264, NVENC is not opened again and the switch is logged once, without a stack.
     */
    @Test
    void open_afterNvencRefusedAStream_usesLibx264ForEveryLaterStreamAndSaysSoOnce() throws Exception {
        HlsSettings settings = HlsSettings.defaults().withWorkDir(temp.resolve("work"));
        assumeFalse(RecordingOpener.nvencOpensHere(settings), "NVENC opens on this host");
        RecordingOpener opener = new RecordingOpener();
        EncoderProbe nvencOnly = new EncoderProbe(List.of(VideoEncoder.NVENC),
                new RecorderConfiguration(settings, opener), 320, 240, FPS);
        FileSystemStreamStore store = new FileSystemStreamStore(temp.resolve("hls"));
        HlsWriterFactory factory = new HlsWriterFactory(nvencOnly, store);
        assertThat(nvencOnly.encoderPassedProbe()).isFalse();
        List<String> sessions = new ArrayList<>();

        String log = capturingStderr(() -> {
            for (int s = 0; s < 3; s++) {
                String session = SessionIds.create().next();
                sessions.add(session);
                try (HlsSegmentWriter writer = factory.open(session, 320, 240, FPS,
                        new PcmAudio(new float[16_000], 16_000), FPS, (i, d) -> { })) {
                    for (int i = 0; i < FPS; i++) {
                        writer.write(HlsSegmentWriterTest.pattern(320, 240, i));
                    }
                    writer.finish();
                }
            }
        });

        assertThat(opener.of(VideoEncoder.NVENC)).as("NVENC opens: the probe's and the first stream's").hasSize(2);
        assertThat(opener.of(VideoEncoder.X264)).as("libx264 opens: one per stream").hasSize(3);
        assertThat(nvencOnly.encoder()).isEqualTo(VideoEncoder.X264);
        List<String> lines = log.lines().toList();
        assertThat(lines.stream().filter(l -> l.contains("h264_nvenc refused the stream")))
                .as("log: %s", log).hasSize(1).allMatch(l -> l.contains("WARN") && l.contains(sessions.get(0)));
        assertThat(lines).as("no stack trace in the log").noneMatch(l -> l.startsWith("\tat ")
                || l.startsWith("Caused by"));
        for (String session : sessions) {
            HlsStreamInspector.StreamReport report = new HlsStreamInspector()
                    .assertValidStream(temp.resolve("hls").resolve(session), FPS, true);
            assertThat(report.videoCodec()).isEqualTo("h264");
        }
    }

    /** slf4j-simple (the tests' binding) writes to whatever System.err is at the time. */
    private static String capturingStderr(ThrowingRunnable body) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setErr(original);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        original.print(text);
        return text;
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
