package ai.lipsync.pipeline;

import ai.lipsync.audio.PcmAudio;
import ai.lipsync.session.ErrorCode;
import ai.lipsync.session.GenerationException;
import ai.lipsync.session.GenerationJob;
import ai.lipsync.session.SessionStatus;
import ai.lipsync.storage.StreamFile;
import ai.lipsync.testing.FakeSynthesizer;
import ai.lipsync.testing.TestAudio;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The pipeline's meters after real generations (weights-free engine, real encoder, files on disk). */
class GenerationMetricsTest {
    private static final PcmAudio SPEECH = TestAudio.speechLike(2.2, 0.2, 0.3, 16_000);
    private static final Pattern SEGMENT = Pattern.compile("(?m)^segment_\\d+\\.m4s$");

    @TempDir
    Path temp;

    @Test
    void aReadySession_countsItsOutcomeSegmentsFramesAndTimesEveryStageOnce() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PipelineFixture fixture = new PipelineFixture(temp);
        GenerationJob job = fixture.newJob("Hello there.", "default");

        fixture.pipeline(FakeSynthesizer.returning(TestAudio.wav(SPEECH), "audio/wav"), new GenerationMetrics(registry))
                .handle(job);

        assertThat(fixture.session(job.sessionId()).status()).isEqualTo(SessionStatus.READY);
        assertThat(registry.get(GenerationMetrics.SESSIONS).tag("status", "ready")
                .tag("error_code", GenerationMetrics.NO_ERROR).counter().count()).isEqualTo(1);
        String playlist = Files.readString(fixture.streamDir(job.sessionId()).resolve(StreamFile.PLAYLIST));
        assertThat(registry.get(GenerationMetrics.SEGMENTS_PUBLISHED).counter().count())
                .isEqualTo(count(SEGMENT.matcher(playlist))).isPositive();
        assertThat(registry.get(GenerationMetrics.FRAMES).counter().count())
                .isEqualTo(Math.ceil(SPEECH.durationSeconds() * PipelineSettings.defaults().fps()));
        assertThat(registry.get(GenerationMetrics.TIME_TO_FIRST_SEGMENT).timer().count()).isEqualTo(1);
        assertThat(registry.get(GenerationMetrics.TTS).tag("provider", "fake").timer().count()).isEqualTo(1);
        for (GenerationMetrics.Step step : GenerationMetrics.Step.values()) {
            Timer stage = registry.get(GenerationMetrics.STAGE).tag("stage", step.label()).timer();
            assertThat(stage.count()).as(step.label()).isEqualTo(1);
            assertThat(stage.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)).as(step.label()).isPositive();
        }
    }

    @Test
    void aFailedSession_countsItsErrorCodeAndStillTimesTheSpeechService() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        GenerationMetrics metrics = new GenerationMetrics(registry);
        PipelineFixture fixture = new PipelineFixture(temp);
        GenerationJob first = fixture.newJob("Hello.", "default");
        GenerationJob second = fixture.newJob("Hello again.", "default");

        GenerationPipeline pipeline = fixture.pipeline(
                FakeSynthesizer.failing(new GenerationException(ErrorCode.TTS_TIMEOUT, "The speech service stalled.")),
                metrics);
        pipeline.handle(first);
        pipeline.handle(second);

        assertThat(registry.get(GenerationMetrics.SESSIONS).tag("status", "error").tag("error_code", "tts_timeout")
                .counter().count()).isEqualTo(2);
        assertThat(registry.find(GenerationMetrics.SESSIONS).tag("status", "ready").counter()).isNull();
        assertThat(registry.get(GenerationMetrics.TTS).tag("provider", "fake").timer().count()).isEqualTo(2);
        assertThat(registry.get(GenerationMetrics.TIME_TO_FIRST_SEGMENT).timer().count()).isZero();
        assertThat(registry.find(GenerationMetrics.STAGE).tag("stage", "decode").timer()).isNull();
    }

    @Test
    void queueDepth_isReadAtEachScrape() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AtomicInteger waiting = new AtomicInteger(3);
        new GenerationMetrics(registry).queueDepth(waiting::get);

        assertThat(registry.get(GenerationMetrics.QUEUE_DEPTH).gauge().value()).isEqualTo(3);
        waiting.set(0);
        assertThat(registry.get(GenerationMetrics.QUEUE_DEPTH).gauge().value()).isZero();
    }

    private static long count(Matcher m) {
        return m.results().count();
    }
}
