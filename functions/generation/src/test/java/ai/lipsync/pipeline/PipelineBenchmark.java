package ai.lipsync.pipeline;

import ai.lipsync.audio.AudioDecoder;
import ai.lipsync.audio.EnvelopeSettings;
import ai.lipsync.audio.PcmAudio;
import ai.lipsync.audio.SpeechEnvelope;
import ai.lipsync.avatar.Avatar;
import ai.lipsync.engine.RenderRequest;
import ai.lipsync.engine.Rendering;
import ai.lipsync.engine.WeightsFreeEngine;
import ai.lipsync.session.GenerationJob;
import ai.lipsync.session.Session;
import ai.lipsync.testing.FakeSynthesizer;
import ai.lipsync.testing.ForwardingSessionStore;
import ai.lipsync.testing.TestAudio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Not a test: measures the embedded default (filesystem store, weights-free engine, default
 * avatar) on a 10-second utterance. Speech comes from espeak-ng when it is installed, else the
 * first 10 s of ../shared/media/eng.wav. Run from the repository root:
 * <pre>
 * mvn -q -pl functions/generation -am test-compile exec:java -Dexec.skip=true -Dlipsync.exec.skip=true -Dexec.classpathScope=test \
 *     -Dexec.mainClass=ai.lipsync.pipeline.PipelineBenchmark [-Dexec.args="runs avatarId"]
 * </pre>
 */
public final class PipelineBenchmark {
    private static final String TEXT = "The quick brown fox jumps over the lazy dog. This sentence is read aloud "
            + "to measure how fast the service turns text into a talking video stream.";

    private PipelineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        String avatarId = args.length > 1 ? args[1] : "default";
        Path root = Path.of("target", "benchmark").toAbsolutePath();
        Speech speech = speech();
        PcmAudio pcm = new AudioDecoder().decode(speech.wav());
        System.out.printf(Locale.ROOT, "speech: %s, %.2f s%n", speech.source(), pcm.durationSeconds());

        ReadyClock sessions = new ReadyClock();
        PipelineFixture fixture = new PipelineFixture(root, sessions);
        if (!"default".equals(avatarId)) {
            Files.createDirectories(root.resolve("data/video"));
            Path sun = TestAudio.sharedMedia(avatarId + ".mp4");
            Files.copy(sun, root.resolve("data/video").resolve(sun.getFileName()),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        GenerationPipeline pipeline = fixture.pipeline(FakeSynthesizer.returning(speech.wav(), "audio/wav"));
        Avatar avatar = fixture.avatars.load(avatarId, 25);
        System.out.printf(Locale.ROOT, "avatar: %s %dx%d, encoder: %s, cores: %d%n", avatarId, avatar.width(),
                avatar.height(), fixture.probe.encoder().codecName(), Runtime.getRuntime().availableProcessors());

        // Warm-up: JIT, native libraries, encoder probe.
        pipeline.handle(fixture.newJob(TEXT, avatarId));

        int frames = (int) Math.ceil(pcm.durationSeconds() * 25);
        for (int run = 1; run <= runs; run++) {
            GenerationJob job = fixture.newJob(TEXT, avatarId);
            long start = System.nanoTime();
            sessions.started(job.sessionId(), start);
            pipeline.handle(job);
            long total = System.nanoTime() - start;
            Session done = fixture.session(job.sessionId());
            double firstSegment = (sessions.firstSegment(job.sessionId()) - start) / 1e9;
            double seconds = total / 1e9;
            System.out.printf(Locale.ROOT,
                    "run %d: status=%s, time to first segment %.2f s, total %.2f s, real-time factor %.2f, "
                            + "end-to-end %.1f frames/s%n", run, done.status().wireName(), firstSegment, seconds,
                    seconds / pcm.durationSeconds(), frames / seconds);
        }

        // Compose + encode + publish alone (no TTS, decode or avatar work).
        long encodeStart = System.nanoTime();
        String benchSession = ai.lipsync.session.SessionIds.create().next();
        WeightsFreeEngine composeEngine = new WeightsFreeEngine(new SpeechEnvelope(EnvelopeSettings.defaults()));
        try (Rendering rendering = composeEngine.prepare(new RenderRequest(benchSession, pcm, avatar, 25));
                ai.lipsync.hls.HlsSegmentWriter writer = fixture.writers.open(benchSession, avatar.width(),
                        avatar.height(), 25, pcm, rendering.frameCount(), (i, d) -> { })) {
            rendering.renderTo((index, frame) -> writer.write(frame));
            writer.finish();
        }
        double encodeSeconds = (System.nanoTime() - encodeStart) / 1e9;
        System.out.printf(Locale.ROOT, "compose+encode+publish: %d frames in %.2f s = %.1f frames/s at %dx%d%n",
                frames, encodeSeconds, frames / encodeSeconds, avatar.width(), avatar.height());

        // Compose alone (no encoding), to split the cost.
        WeightsFreeEngine engine = new WeightsFreeEngine(new SpeechEnvelope(EnvelopeSettings.defaults()));
        long start = System.nanoTime();
        int[] count = {0};
        try (Rendering rendering = engine.prepare(new RenderRequest("bench", pcm, avatar, 25))) {
            rendering.renderTo((index, frame) -> count[0]++);
        }
        double composeSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "compose only: %d frames in %.2f s = %.1f frames/s at %dx%d%n", count[0],
                composeSeconds, count[0] / composeSeconds, avatar.width(), avatar.height());
    }

    private record Speech(String source, byte[] wav) {
    }

    /** espeak-ng if it is on the PATH, else eng.wav cut to 10 s. */
    private static Speech speech() throws IOException, InterruptedException {
        Optional<Path> espeak = findOnPath("espeak-ng");
        if (espeak.isPresent()) {
            Process p = new ProcessBuilder(espeak.get().toString(), "-v", "en", "--stdout", TEXT + " " + TEXT)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] wav = p.getInputStream().readAllBytes();
            if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0 && wav.length > 44) {
                PcmAudio pcm = TestAudio.cut(new AudioDecoder().decode(wav), 10.0);
                return new Speech("espeak-ng (cut to 10 s)", TestAudio.wav(pcm));
            }
        }
        Path eng = TestAudio.sharedMedia("eng.wav");
        PcmAudio pcm = TestAudio.cut(new AudioDecoder().decode(eng), 10.0);
        return new Speech(eng + " (first 10 s)", TestAudio.wav(pcm));
    }

    private static Optional<Path> findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Notes when each session's playlist first became ready. */
    static final class ReadyClock extends ForwardingSessionStore {
        private final Map<String, Long> ready = new ConcurrentHashMap<>();

        void started(String id, long nanos) {
            ready.remove(id);
        }

        long firstSegment(String id) {
            return ready.getOrDefault(id, -1L);
        }

        @Override
        public Session update(String id, UnaryOperator<Session> change) {
            Session s = super.update(id, change);
            if (s.playlistReady()) {
                ready.putIfAbsent(id, System.nanoTime());
            }
            return s;
        }
    }
}
