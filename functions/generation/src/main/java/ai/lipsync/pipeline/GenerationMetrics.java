package ai.lipsync.pipeline;

import ai.lipsync.session.ErrorCode;
import ai.lipsync.session.GenerationJob;
import ai.lipsync.session.JobQueue;
import ai.lipsync.session.QueueFullException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.IntSupplier;

/**
 * Every meter of a generation, named in one place. Micrometer's names are dotted; Prometheus shows
 * them with underscores and its unit suffixes ({@code lipsync.stage} timer ->
 * {@code lipsync_stage_seconds_bucket/_count/_sum}, {@code lipsync.sessions} counter ->
 * {@code lipsync_sessions_total}). The registry is the application's (Spring's in the web app, a
 * Prometheus one in the worker); {@link #none()} records nothing.
 */
public final class GenerationMetrics {
    public static final String SESSIONS = "lipsync.sessions";
    public static final String QUEUE_DEPTH = "lipsync.queue.depth";
    public static final String TIME_TO_FIRST_SEGMENT = "lipsync.time.to.first.segment";
    public static final String STAGE = "lipsync.stage";
    public static final String FRAMES = "lipsync.frames";
    public static final String SEGMENTS_PUBLISHED = "lipsync.segments.published";
    public static final String TTS = "lipsync.tts";
    /** The error_code of a session that ended ready: Prometheus wants one label set per metric. */
    public static final String NO_ERROR = "none";

    /** The parts of one generation that are timed, in the order they run (log lines use the same names). */
    public enum Step {
        AVATAR, TTS, DECODE, STORE_AUDIO, FEATURES,
        /** Waiting for the engine's frames (frames stage less the time spent encoding and publishing). */
        RENDER,
        /** H.264 + AAC encoding of the frames, the final flush included. */
        ENCODE,
        /** Writing segments and playlists to the stream store. */
        PUBLISH;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final MeterRegistry registry;
    private final Timer timeToFirstSegment;
    private final Counter frames;
    private final Counter segmentsPublished;

    public GenerationMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.timeToFirstSegment = Timer.builder(TIME_TO_FIRST_SEGMENT)
                .description("From the start of a generation (the job taken from the queue) to its first segment published")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(50))
                .maximumExpectedValue(Duration.ofMinutes(5)).register(registry);
        this.frames = Counter.builder(FRAMES).description("Video frames encoded; rate() is frames per second")
                .register(registry);
        this.segmentsPublished = Counter.builder(SEGMENTS_PUBLISHED)
                .description("HLS segments published (each followed by its playlist)").register(registry);
    }

    /** Records nothing: for code run without a registry (tests, benchmarks). */
    public static GenerationMetrics none() {
        return new GenerationMetrics(new CompositeMeterRegistry());
    }

    /** A session reached a terminal state: {@code ready} when {@code error} is null, else {@code error}. */
    public void sessionEnded(ErrorCode error) {
        Counter.builder(SESSIONS).description("Sessions that ended, by status and error code")
                .tag("status", error == null ? "ready" : "error")
                .tag("error_code", error == null ? NO_ERROR : error.wireName())
                .register(registry).increment();
    }

    /** A session ended {@code cancelled}: stopped while generating, or dropped before it started. */
    public void sessionCancelled() {
        Counter.builder(SESSIONS).description("Sessions that ended, by status and error code")
                .tag("status", "cancelled").tag("error_code", NO_ERROR)
                .register(registry).increment();
    }

    /**
     * {@code queue}, counting each job it turns away as a session ended in {@code queue_full} (the
     * session service records it so; it never reaches the pipeline).
     */
    public JobQueue countingRefusals(JobQueue queue) {
        return new JobQueue() {
            @Override
            public void submit(GenerationJob job) {
                try {
                    queue.submit(job);
                } catch (QueueFullException e) {
                    sessionEnded(ErrorCode.QUEUE_FULL);
                    throw e;
                }
            }

            @Override
            public void cancel(String sessionId) {
                queue.cancel(sessionId);
            }
        };
    }

    /** The jobs waiting for a generation worker, read whenever the registry is scraped. */
    public void queueDepth(IntSupplier waiting) {
        Gauge.builder(QUEUE_DEPTH, waiting, IntSupplier::getAsInt).description("Jobs accepted but not yet started")
                .strongReference(true).register(registry);
    }

    public void stage(Step step, long nanos) {
        Timer.builder(STAGE).description("Time one generation spent in a stage").tag("stage", step.label())
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(10)).register(registry)
                .record(Duration.ofNanos(nanos));
    }

    /** One speech request, successful or not, by provider ({@code SpeechSynthesizer.name()}). */
    public void tts(String provider, long nanos) {
        Timer.builder(TTS).description("Speech service latency per request").tag("provider", provider)
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofMinutes(2)).register(registry)
                .record(Duration.ofNanos(nanos));
    }

    public void firstSegment(long nanosSinceStart) {
        timeToFirstSegment.record(Duration.ofNanos(nanosSinceStart));
    }

    public void frameEncoded() {
        frames.increment();
    }

    public void segmentPublished() {
        segmentsPublished.increment();
    }
}
