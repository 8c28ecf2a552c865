package ai.lipsync.pipeline;

import ai.lipsync.audio.AudioDecoder;
import ai.lipsync.audio.PcmAudio;
import ai.lipsync.avatar.BlendMask;
import ai.lipsync.avatar.PreparedAvatar;
import ai.lipsync.engine.MuseTalkEngine;
import ai.lipsync.engine.MuseTalkSettings;
import ai.lipsync.musetalk.GoldenGraphs;
import ai.lipsync.musetalk.MuseTalkModels;
import ai.lipsync.session.ErrorCode;
import ai.lipsync.session.GenerationJob;
import ai.lipsync.session.InProcessJobQueue;
import ai.lipsync.session.Session;
import ai.lipsync.session.SessionStatus;
import ai.lipsync.testing.BundledFfmpeg;
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
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.Map;

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
        return pipeline(fixture, models, speech, fixture.museTalkAvatars(models));
    }

    private static GenerationPipeline pipeline(PipelineFixture fixture, MuseTalkModels models, PcmAudio speech,
            MuseTalkTestAvatars prepared) {
        return pipeline(fixture, new MuseTalkEngine(models, MuseTalkSettings.defaults()), speech, prepared);
    }

    private static GenerationPipeline pipeline(PipelineFixture fixture, MuseTalkEngine engine, PcmAudio speech,
            MuseTalkTestAvatars prepared) {
        return fixture.pipeline(FakeSynthesizer.returning(TestAudio.wav(speech), "audio/wav"), engine, prepared);
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
        MuseTalkTestAvatars avatars = fixture.museTalkAvatars(models);
        GenerationPipeline pipeline = pipeline(fixture, models, new PcmAudio(samples, RATE), avatars);
        GenerationJob job = fixture.newJob("A long answer.", "default");

        pipeline.handle(job);

        Session session = fixture.session(job.sessionId());
        assertThat(session.status()).as(String.valueOf(session.errorMessage())).isEqualTo(SessionStatus.READY);
        assertThat(session.engine()).isEqualTo("musetalk-1.5");
        HlsStreamInspector.StreamReport report = new HlsStreamInspector()
                .assertValidStream(fixture.streamDir(job.sessionId()), 25, true);
        assertThat(report.videoSeconds()).isCloseTo(45.0, org.assertj.core.data.Offset.offset(0.05));
        assertThat(report.segments()).hasSize(45);
        // The mouth moves where the speech is: frame 743 (29.72 s, inside the burst after the seam) shows a
        // generated face under the mask; frame 500 (20 s, a pause) is the source frame up to codec noise.
        PreparedAvatar avatar = avatars.get("default", 25);
        Map<Integer, byte[]> decoded = decodeFrames(fixture.streamDir(job.sessionId()).resolve("playlist.m3u8"),
                avatar.avatar().width(), avatar.avatar().height(), 500, 743);
        assertThat(meanDifferenceUnderMask(decoded.get(500), avatar, 500)).as("pause at 20 s").isLessThan(3.0);
        assertThat(meanDifferenceUnderMask(decoded.get(743), avatar, 743)).as("speech at 29.72 s").isGreaterThan(10.0);
    }

    /** Mean |decoded - source| over the pixels where frame {@code index}'s blend mask is at least 200. */
    private static double meanDifferenceUnderMask(byte[] decoded, PreparedAvatar avatar, int index) {
        int src = avatar.avatar().sourceIndex(index);
        BlendMask mask = avatar.masks().get(src);
        byte[] source = avatar.avatar().frames().get(src).data();
        int width = avatar.avatar().width();
        double sum = 0;
        long n = 0;
        for (int my = 0; my < mask.mask().height(); my++) {
            for (int mx = 0; mx < mask.mask().width(); mx++) {
                int x = mx + mask.cropBox().x1();
                int y = my + mask.cropBox().y1();
                if ((mask.mask().data()[my * mask.mask().width() + mx] & 0xFF) < 200 || x < 0 || y < 0
                        || x >= width || y >= avatar.avatar().height()) {
                    continue;
                }
                int p = (y * width + x) * 3;
                for (int c = 0; c < 3; c++) {
                    sum += Math.abs((decoded[p + c] & 0xFF) - (source[p + c] & 0xFF));
                }
                n += 3;
            }
        }
        assertThat(n).as("pixels under the mask").isPositive();
        return sum / n;
    }

    /** The given frames of a stream (ascending indices), BGR, decoded by ffmpeg. */
    private static Map<Integer, byte[]> decodeFrames(Path playlist, int width, int height, int... indices)
            throws Exception {
        String select = java.util.Arrays.stream(indices).mapToObj(i -> "eq(n\\," + i + ")")
                .collect(java.util.stream.Collectors.joining("+"));
        Process p = new BundledFfmpeg().ffmpeg(List.of("-nostdin", "-v", "error", "-i", playlist.toString(),
                "-vf", "select=" + select, "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "bgr24", "-"))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Map<Integer, byte[]> frames = new java.util.HashMap<>();
        try (java.io.InputStream in = p.getInputStream()) {
            for (int index : indices) {
                byte[] frame = in.readNBytes(width * height * 3);
                assertThat(frame).as("decoded frame %d", index).hasSize(width * height * 3);
                frames.put(index, frame);
            }
        }
        assertThat(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        return frames;
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
            // The session says a sentence with the code; libtorch's own text (the cause) stays in the log.
            assertThat(failed.errorMessage()).contains("(" + code + ")").endsWith("the service log has the details.")
                    .doesNotContain(cause).doesNotContain("graph=").doesNotContain("\n");
            Session next = fixture.session(second.sessionId());
            assertThat(next.status()).as(String.valueOf(next.errorMessage())).isEqualTo(SessionStatus.READY);
            assertThat(next.engine()).isEqualTo("musetalk-1.5");
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("musetalk-") && t.isAlive());
    }

    /**
     * A shutdown while the UNet is inside libtorch: the job queue's close interrupts the generation
     * thread (shutdownNow), then the engine closes. The models must stay allocated until the batch in
     * flight has left predict, and the session ends in service_stopped.
     */
    @Test
    void close_whileTheUnetIsInsidePredict_freesTheModelsOnlyAfterItReturns(MuseTalkModels golden) throws Exception {
        ModelDirs.BlockingUnet blocking = ModelDirs.withBlockingUnet(golden.manifest().dir(), temp.resolve("blocking"));
        PipelineFixture fixture = new PipelineFixture(temp.resolve("app"));
        MuseTalkModels models = MuseTalkModels.load(blocking.dir(), false);
        try {
            MuseTalkEngine engine = new MuseTalkEngine(models, MuseTalkSettings.defaults());
            GenerationPipeline pipeline = pipeline(fixture, engine, TestAudio.speechLike(0.5, 0, 0.1, RATE),
                    fixture.museTalkAvatars(models));
            InProcessJobQueue queue = new InProcessJobQueue(pipeline, 1, 1, Duration.ofSeconds(1),
                    Duration.ofMillis(200));
            GenerationJob job = fixture.newJob("Hello.", "default");
            queue.submit(job);
            awaitUntil("the unet call entered the graph", blocking::started);

            Thread closer = new Thread(() -> {
                queue.close();
                engine.close();
            }, "test-closer");
            closer.start();
            // The queue has interrupted the generation thread and the engine's close is waiting for the batch.
            awaitUntil("the engine's close waits for the rendering (or has returned)",
                    () -> inEngineClose(closer) || !closer.isAlive());
            assertThat(closer.isAlive()).as("close returned while the unet is inside predict").isTrue();
            assertThat(models.isClosed()).as("models freed under a running predict").isFalse();
            assertThat(liveMuseTalkThreads()).as("the inference thread is still in predict").isNotEmpty();

            blocking.release();
            closer.join(TimeUnit.MINUTES.toMillis(5));

            assertThat(closer.isAlive()).isFalse();
            assertThat(models.isClosed()).isTrue();
            Session stopped = fixture.session(job.sessionId());
            assertThat(stopped.status()).isEqualTo(SessionStatus.ERROR);
            assertThat(stopped.errorCode()).isEqualTo(ErrorCode.SERVICE_STOPPED);
            assertThat(stopped.errorMessage()).endsWith("please start it again.").doesNotContain("\n");
            assertThat(liveMuseTalkThreads()).isEmpty();
        } finally {
            blocking.release();
            models.close();
        }
    }

    /**
     * The bound: a batch that does not leave libtorch within the stop timeout leaves the models
     * allocated (freeing them would crash the JVM); the engine refuses new sessions meanwhile, and the
     * stopped one ends in service_stopped once its batch returns.
     */
    @Test
    void close_whenTheBatchOutlastsTheStopTimeout_leavesTheModelsAllocated(MuseTalkModels golden) throws Exception {
        ModelDirs.BlockingUnet blocking = ModelDirs.withBlockingUnet(golden.manifest().dir(), temp.resolve("blocking"));
        PipelineFixture fixture = new PipelineFixture(temp.resolve("app"));
        MuseTalkModels models = MuseTalkModels.load(blocking.dir(), false);
        try {
            MuseTalkEngine engine = new MuseTalkEngine(models,
                    MuseTalkSettings.defaults().withStopTimeout(Duration.ofMillis(300)));
            GenerationPipeline pipeline = pipeline(fixture, engine, TestAudio.speechLike(0.5, 0, 0.1, RATE),
                    fixture.museTalkAvatars(models));
            GenerationJob job = fixture.newJob("Hello.", "default");
            Thread generation = new Thread(() -> pipeline.handle(job), "test-generation");
            generation.start();
            awaitUntil("the unet call entered the graph", blocking::started);

            engine.close();

            assertThat(models.isClosed()).as("models freed under a running predict").isFalse();
            GenerationJob refused = fixture.newJob("After close.", "default");
            pipeline.handle(refused);
            assertThat(fixture.session(refused.sessionId()).errorCode()).isEqualTo(ErrorCode.SERVICE_STOPPED);

            blocking.release();
            generation.join(TimeUnit.MINUTES.toMillis(5));
            assertThat(generation.isAlive()).isFalse();
            Session stopped = fixture.session(job.sessionId());
            assertThat(stopped.status()).isEqualTo(SessionStatus.ERROR);
            assertThat(stopped.errorCode()).isEqualTo(ErrorCode.SERVICE_STOPPED);
            assertThat(liveMuseTalkThreads()).isEmpty();
        } finally {
            blocking.release();
            models.close();
        }
    }

    private static boolean inEngineClose(Thread closer) {
        return java.util.Arrays.stream(closer.getStackTrace())
                .anyMatch(f -> f.getClassName().endsWith("ActiveRenderings") && f.getMethodName().equals("stopAll"));
    }

    private static List<Thread> liveMuseTalkThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("musetalk-") && t.isAlive()).toList();
    }

    /** Polls {@code condition} (a state of other threads, not a time) for up to 5 minutes. */
    private static void awaitUntil(String what, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("never happened: " + what).isNegative();
            Thread.sleep(20);
        }
    }
}
