package ai.lipsync.pipeline;

import ai.lipsync.audio.PcmAudio;
import ai.lipsync.session.ErrorCode;
import ai.lipsync.session.GenerationJob;
import ai.lipsync.session.InProcessJobQueue;
import ai.lipsync.session.Language;
import ai.lipsync.session.Session;
import ai.lipsync.session.SessionStatus;
import ai.lipsync.testing.MutableClock;
import ai.lipsync.testing.TestAudio;
import ai.lipsync.tts.SpeechSynthesizer;
import ai.lipsync.tts.SynthesizedSpeech;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded default's start deadline: jobs behind a busy worker (one worker, held inside its speech
 * request) on a clock the test moves. A job whose session was created longer ago than
 * {@code lipsync.queue.start-deadline} when the worker reaches it ends in {@code expired} without a
 * speech request, a frame or a file; the jobs within it run.
 */
class QueuedJobDeadlineTest {
    private static final PcmAudio SPEECH = TestAudio.speechLike(1.2, 0.1, 0.1, 16_000);

    @TempDir
    Path temp;

    /** Answers every request with real speech; the first one waits until the test lets it go. */
    private static final class HeldSynthesizer implements SpeechSynthesizer {
        final List<String> texts = new CopyOnWriteArrayList<>();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public SynthesizedSpeech synthesize(String text, Language lang) {
            texts.add(text);
            entered.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new SynthesizedSpeech(TestAudio.wav(SPEECH), "audio/wav");
        }

        @Override
        public String name() {
            return "held";
        }
    }

    @Test
    void aJobThatWaitedPastTheDeadline_endsExpiredUnrendered_andTheJobsWithinItRun() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2025-01-01T10:00:00Z"));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PipelineFixture fixture = new PipelineFixture(temp);
        HeldSynthesizer speech = new HeldSynthesizer();
        GenerationPipeline pipeline = fixture.pipeline(speech, clock, new GenerationMetrics(registry));
        Duration deadline = PipelineSettings.defaults().startDeadline().limit();

        GenerationJob busy;
        GenerationJob late;
        GenerationJob recent;
        try (InProcessJobQueue queue = new InProcessJobQueue(pipeline, 4, 1, Duration.ofSeconds(1),
                Duration.ofSeconds(60))) {
            busy = fixture.newJob("The job that keeps the worker busy.", "default", clock);
            queue.submit(busy);
            assertThat(speech.entered.await(30, TimeUnit.SECONDS)).isTrue();
            late = fixture.newJob("The job that waits too long.", "default", clock);
            queue.submit(late);
            clock.advance(deadline.plusSeconds(1));
            recent = fixture.newJob("The job that still has time.", "default", clock);
            queue.submit(recent);

            speech.release.countDown();
        } // close() lets every accepted job finish

        Session expired = fixture.session(late.sessionId());
        assertThat(expired.status()).isEqualTo(SessionStatus.ERROR);
        assertThat(expired.errorCode()).isEqualTo(ErrorCode.EXPIRED);
        assertThat(expired.errorMessage()).isEqualTo(PipelineSettings.defaults().startDeadline()
                .expire(expired, clock.instant()).errorMessage());
        assertThat(expired.engine()).as("no engine ever took it").isNull();
        assertThat(expired.playlistReady()).isFalse();
        assertThat(fixture.streamDir(late.sessionId())).doesNotExist();
        assertThat(temp.resolve("data/audio").resolve(late.sessionId())).doesNotExist();
        assertThat(speech.texts).as("speech requested for the jobs that ran only")
                .containsExactly(busy.text(), recent.text());

        assertThat(fixture.session(busy.sessionId()).status()).isEqualTo(SessionStatus.READY);
        assertThat(fixture.session(recent.sessionId()).status()).isEqualTo(SessionStatus.READY);
        assertThat(registry.get(GenerationMetrics.SESSIONS).tag("status", "error")
                .tag("error_code", ErrorCode.EXPIRED.wireName()).counter().count()).isEqualTo(1);
        assertThat(registry.get(GenerationMetrics.SESSIONS).tag("status", "ready").counter().count()).isEqualTo(2);
    }
}
