package ai.lipsync.worker;

import ai.lipsync.engine.EngineSelection;
import ai.lipsync.pipeline.GenerationAssembly;
import ai.lipsync.pipeline.GenerationMetrics;
import ai.lipsync.settings.LipsyncSettings;

import ai.lipsync.avatar.AvatarSettings;
import ai.lipsync.session.GenerationJob;
import ai.lipsync.session.InMemorySessionStore;
import ai.lipsync.session.Language;
import ai.lipsync.session.Session;
import ai.lipsync.session.SessionIds;
import ai.lipsync.session.SessionStore;
import ai.lipsync.session.StartDeadline;
import ai.lipsync.storage.StreamStore;
import ai.lipsync.testing.FakeSynthesizer;
import ai.lipsync.testing.MemoryStreamStore;
import ai.lipsync.testing.TestAudio;
import ai.lipsync.tts.SpeechSynthesizer;
import ai.lipsync.tts.SynthesizedSpeech;
import ai.lipsync.settings.TtsConfig;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** Workers on in-memory stores and queue, with a speech service the test can count and hold. */
final class WorkerHarness {
    static final byte[] SPEECH = TestAudio.wav(TestAudio.speechLike(1.6, 0.1, 0.1, 16000));

    final Path root;
    final SessionStore sessions;
    final StreamStore streams;
    final InMemoryJobQueue queue;
    final AtomicInteger syntheses = new AtomicInteger();
    private final SessionIds ids = SessionIds.create();
    volatile Runnable beforeSpeech = () -> { };

    WorkerHarness(Path root, int maxReceives) {
        this(root, new InMemorySessionStore(), new MemoryStreamStore(), InMemoryJobQueue.withDeadLetters(maxReceives));
    }

    WorkerHarness(Path root, SessionStore sessions, StreamStore streams, InMemoryJobQueue queue) {
        this.root = root;
        this.sessions = sessions;
        this.streams = streams;
        this.queue = queue;
    }

    /** The default settings with data, avatar videos and prepared avatars under {@code root}. */
    static LipsyncSettings settingsUnder(Path root) {
        return ai.lipsync.aws.SettingsBinder.bind(java.util.Map.of(
                "LIPSYNC_STORAGE_DATADIR", root.resolve("data").toString(),
                "LIPSYNC_AVATAR_VIDEODIR", root.resolve("data/video").toString(),
                "LIPSYNC_AVATAR_PREPAREDDIR", root.resolve("prepared").toString()));
    }

    /** The default start deadline (lipsync.queue.start-deadline). */
    static final StartDeadline DEADLINE = new StartDeadline(LipsyncSettings.defaults().queue().startDeadline());

    /** The default lipsync.worker.max-inference-failures. */
    static final int MAX_INFERENCE_FAILURES = LipsyncSettings.defaults().worker().maxInferenceFailures();

    /** Short leases and visibility, so expiry happens within a test. */
    static WorkerSettings settings(String workerId, int maxReceives) {
        return settings(workerId, maxReceives, MAX_INFERENCE_FAILURES);
    }

    /** As {@link #settings(String, int)}, the breaker opening after {@code maxInferenceFailures} in a row. */
    static WorkerSettings settings(String workerId, int maxReceives, int maxInferenceFailures) {
        return new WorkerSettings(workerId, Duration.ofMillis(200), Duration.ofSeconds(3), Duration.ofSeconds(2),
                Duration.ofMillis(200), maxReceives, Duration.ofSeconds(30), Duration.ofHours(1), DEADLINE,
                maxInferenceFailures);
    }

    Worker worker(WorkerSettings settings) {
        return worker(settings, queue, null);
    }

    /** A worker whose engine is {@code engine} around the weights-free one (an engine stand-in). */
    Worker worker(WorkerSettings settings, java.util.function.UnaryOperator<ai.lipsync.engine.LipSyncEngine> engine) {
        return worker(settings, queue, null, Clock.systemUTC(), GenerationMetrics.none(), engine);
    }

    Worker worker(WorkerSettings settings, JobSource jobs, JobSource deadLetters) {
        return worker(settings, jobs, deadLetters, Clock.systemUTC(), GenerationMetrics.none());
    }

    /** A worker (and its pipeline) on {@code clock}, counting its sessions into {@code metrics}. */
    Worker worker(WorkerSettings settings, Clock clock, GenerationMetrics metrics) {
        return worker(settings, queue, null, clock, metrics);
    }

    private Worker worker(WorkerSettings settings, JobSource jobs, JobSource deadLetters, Clock clock,
            GenerationMetrics metrics) {
        return worker(settings, jobs, deadLetters, clock, metrics, java.util.function.UnaryOperator.identity());
    }

    private Worker worker(WorkerSettings settings, JobSource jobs, JobSource deadLetters, Clock clock,
            GenerationMetrics metrics, java.util.function.UnaryOperator<ai.lipsync.engine.LipSyncEngine> engine) {
        SpeechSynthesizer synthesizer = new FakeSynthesizer(counted(() -> new SynthesizedSpeech(SPEECH, "audio/wav")));
        LipsyncSettings generation = WorkerHarness.settingsUnder(root);
        GenerationAssembly assembly = GenerationAssembly.create(generation, synthesizer,
                new EngineSelection.UseWeightsFree("tests"), clock, metrics);
        ai.lipsync.engine.LipSyncEngine rendering = engine.apply(assembly.engine());
        return new Worker(settings, jobs, deadLetters, sessions, streams,
                (s, st) -> assembly.pipeline(s, st, rendering), clock);
    }

    private Supplier<SynthesizedSpeech> counted(Supplier<SynthesizedSpeech> answer) {
        return () -> {
            syntheses.incrementAndGet();
            beforeSpeech.run();
            return answer.get();
        };
    }

    /** A new session, as the API stores it, and its job. */
    GenerationJob newJob() {
        String id = ids.next();
        sessions.create(Session.created(id, "Hello from the worker.", Language.EN, "default",
                Clock.systemUTC().instant()));
        return new GenerationJob(id, "Hello from the worker.", Language.EN, "default");
    }

    Session session(String id) {
        return sessions.find(id).orElseThrow();
    }
}
