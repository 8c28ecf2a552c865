package ai.lipsync.pipeline;

import ai.lipsync.audio.AudioDecoder;
import ai.lipsync.audio.PcmAudio;
import ai.lipsync.engine.MuseTalkEngine;
import ai.lipsync.engine.MuseTalkSettings;
import ai.lipsync.musetalk.GoldenGraphs;
import ai.lipsync.musetalk.MuseTalkModels;
import ai.lipsync.session.GenerationJob;
import ai.lipsync.session.Session;
import ai.lipsync.session.SessionStatus;
import ai.lipsync.testing.FakeSynthesizer;
import ai.lipsync.testing.HlsStreamInspector;
import ai.lipsync.testing.ModelDirs;
import ai.lipsync.testing.MuseTalkTestAvatars;
import ai.lipsync.testing.TestAudio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generation pipeline with the MuseTalk engine on the golden-size graphs exported at test time:
 * a long utterance across Whisper's 30 s seam, and libtorch failures provoked inside the engine's
 * own inference thread followed by a good session on the same engine.
 */
@ExtendWith(GoldenGraphs.class)
class MuseTalkPipelineTest {
    private static final int RATE = AudioDecoder.SAMPLE_RATE;
    @TempDir
    Path temp;

    private static GenerationPipeline pipeline(PipelineFixture fixture, MuseTalkModels models, PcmAudio speech) {
        MuseTalkTestAvatars prepared = new MuseTalkTestAvatars(models, fixture.avatars::load, 4,
                MuseTalkTestAvatars.drawnFaceParser());
        return new GenerationPipeline(fixture.sessions, FakeSynthesizer.returning(TestAudio.wav(speech), "audio/wav"),
                new AudioDecoder(), fixture.ttsAudio, fixture.avatars, prepared,
                new MuseTalkEngine(models, MuseTalkSettings.defaults()), fixture.writers, fixture.streams,
                PipelineSettings.defaults(), Clock.systemUTC());
    }

    /**
     * 45 s of audio: speech at the start, across the 30 s seam and at the end, pauses between (the
     * pauses show source frames, which keeps this quick on a CPU). Whisper runs two segments.
     */
    @Test
    void handle_withA45SecondUtterance_endsReadyWithAudioAndVideoInSync(MuseTalkModels models) throws Exception {
        float[] samples = new float[45 * RATE];
        for (double start : new double[] {0.0, 29.6, 44.5}) {
            float[] burst = TestAudio.speechLike(0.5, 0, 0, RATE).samples();
            System.arraycopy(burst, 0, samples, (int) (start * RATE), burst.length);
        }
        PipelineFixture fixture = new PipelineFixture(temp);
        GenerationPipeline pipeline = pipeline(fixture, models, new PcmAudio(samples, RATE));
        GenerationJob job = fixture.newJob("A long answer.", "default");

        pipeline.handle(job);

        Session session = fixture.session(job.sessionId());
        assertThat(session.status()).as(String.valueOf(session.errorMessage())).isEqualTo(SessionStatus.READY);
        assertThat(session.engine()).isEqualTo("musetalk-1.5");
        HlsStreamInspector.StreamReport report = new HlsStreamInspector()
                .assertValidStream(fixture.streamDir(job.sessionId()), 25, true);
        assertThat(report.videoSeconds()).isCloseTo(45.0, org.assertj.core.data.Offset.offset(0.05));
        assertThat(report.segments()).hasSize(45);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"oom, inference_oom, can't allocate memory", "shape, inference_shape, cannot be multiplied"})
    void handle_whenTheUnetFailsInsideTheEngine_endsInItsCodeAndTheNextSessionWorks(String mode, String code,
            String cause, MuseTalkModels golden) {
        Path dir = ModelDirs.withUnetFailingOnce(golden.manifest().dir(), temp.resolve("models-" + mode), mode);
        PipelineFixture fixture = new PipelineFixture(temp.resolve("app"));
        try (MuseTalkModels failingOnce = MuseTalkModels.load(dir, false)) {
            GenerationPipeline pipeline = pipeline(fixture, failingOnce, TestAudio.speechLike(0.5, 0, 0.1, RATE));
            GenerationJob first = fixture.newJob("Hello.", "default");
            GenerationJob second = fixture.newJob("Hello again.", "default");

            pipeline.handle(first);
            pipeline.handle(second);

            Session failed = fixture.session(first.sessionId());
            assertThat(failed.status()).isEqualTo(SessionStatus.ERROR);
            assertThat(failed.errorCode().wireName()).isEqualTo(code);
            assertThat(failed.errorMessage()).contains("graph=unet").contains(cause);
            Session next = fixture.session(second.sessionId());
            assertThat(next.status()).as(String.valueOf(next.errorMessage())).isEqualTo(SessionStatus.READY);
            assertThat(next.engine()).isEqualTo("musetalk-1.5");
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("musetalk-") && t.isAlive());
    }
}
