package ai.lipsync.worker;

import ai.lipsync.engine.Engines;
import ai.lipsync.pipeline.GenerationAssembly;
import ai.lipsync.settings.LipsyncSettings;

import ai.lipsync.avatar.AvatarSettings;
import ai.lipsync.aws.testing.MotoServer;
import ai.lipsync.pipeline.GenerationPipeline;
import ai.lipsync.session.GenerationJob;
import ai.lipsync.session.InMemorySessionStore;
import ai.lipsync.session.Language;
import ai.lipsync.session.Session;
import ai.lipsync.session.SessionIds;
import ai.lipsync.session.SessionStatus;
import ai.lipsync.storage.FileSystemStreamStore;
import ai.lipsync.storage.StreamFile;
import ai.lipsync.storage.StreamStore;
import ai.lipsync.testing.FakeSynthesizer;
import ai.lipsync.testing.TestAudio;
import ai.lipsync.settings.TtsConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Not a test: a 10-second utterance through the AWS path (API's SessionService on DynamoDB + SQS ->
 * worker -> S3, all on a moto_server started here) beside the embedded default (in-memory sessions,
 * filesystem stream, the pipeline called directly), both with the weights-free engine, the default
 * avatar and the same speech. Prints time to first segment (the first playlist that lists a
 * segment is stored), total time (the session is seen ready), and the cost per segment of
 * publishing it (segment put + playlist put, the warm-up run's puts left out).
 * <p>
 * What the AWS figures leave out: the API side is {@link ai.lipsync.session.SessionService} called
 * in this JVM (the web app's and the Lambda's start function are HTTP and JSON around the same call,
 * a few ms), and the worker is {@link WorkerMain}'s assembly on a thread of this JVM rather than a
 * container (the same code; no JVM start, which a long-running worker pays once). The full path over
 * HTTP with the worker in its own JVM is functions/local's {@code AwsSessionEndToEndMotoTest}.
 * Run from the repository root:
 * <pre>
 * mvn -q -pl functions/worker -am test-compile exec:java -Dexec.skip=true -Daws.exec.skip=true -Dlipsync.exec.skip=true -Dgeneration.exec.skip=true \
 *     -Dexec.classpathScope=test -Dexec.mainClass=ai.lipsync.worker.WorkerBenchmark [-Dexec.args="runs"]
 * </pre>
 */
public final class WorkerBenchmark {
    private static final double SECONDS = 10.0;

    private WorkerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Path root = Path.of("target", "worker-benchmark").toAbsolutePath();
        // The audio AwsStack's workers speak (0.1 s of silence either side), so both paths encode the same frames.
        byte[] wav = TestAudio.wav(TestAudio.speechLike(SECONDS, 0.1, 0.1, 16000));
        System.out.printf(Locale.ROOT, "speech: %.1f s of speech-like audio; engine weights-free; avatar default;"
                + " cores %d%n", SECONDS, Runtime.getRuntime().availableProcessors());

        Figures embedded = embedded(root.resolve("embedded"), wav, runs);
        Figures aws;
        try (MotoServer moto = MotoServer.start()) {
            aws = aws(moto, root.resolve("aws"), runs);
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "%-34s %14s %12s %18s%n", "path (median of " + runs + " runs)",
                "first segment", "total", "publish/segment");
        embedded.print("embedded default (filesystem)");
        aws.print("AWS on moto (SQS, DynamoDB, S3)");
        System.out.printf(Locale.ROOT, "added by the AWS path: first segment %+.2f s, total %+.2f s,"
                + " publish %+.1f ms per segment%n", aws.firstSegment - embedded.firstSegment,
                aws.total - embedded.total, aws.publishMillis - embedded.publishMillis);
    }

    private record Figures(double firstSegment, double total, double publishMillis) {
        void print(String name) {
            System.out.printf(Locale.ROOT, "%-34s %12.2f s %10.2f s %15.1f ms%n", name, firstSegment, total,
                    publishMillis);
        }
    }

    private static Figures embedded(Path root, byte[] wav, int runs) {
        InMemorySessionStore sessions = new InMemorySessionStore();
        TimedStreams streams = new TimedStreams(new FileSystemStreamStore(root.resolve("static/hls")));
        LipsyncSettings settings = WorkerHarness.settingsUnder(root);
        GenerationPipeline pipeline = new GenerationAssembly(settings, FakeSynthesizer.returning(wav, "audio/wav"),
                Engines.weightsFree(), Clock.systemUTC()).pipeline(sessions, streams);
        SessionIds ids = SessionIds.create();
        double[] first = new double[runs];
        double[] total = new double[runs];
        for (int run = -1; run < runs; run++) {
            String id = ids.next();
            sessions.create(Session.created(id, "benchmark", Language.EN, "default", Clock.systemUTC().instant()));
            long start = System.nanoTime();
            pipeline.handle(new GenerationJob(id, "benchmark", Language.EN, "default"));
            long end = System.nanoTime();
            check(sessions.find(id).orElseThrow());
            if (run < 0) {
                streams.forgetPuts();
            } else {
                first[run] = (streams.firstPlaylist(id) - start) / 1e9;
                total[run] = (end - start) / 1e9;
                System.out.printf(Locale.ROOT, "embedded run %d: first segment %.2f s, total %.2f s%n", run + 1,
                        first[run], total[run]);
            }
        }
        return new Figures(median(first), median(total), streams.millisPerSegment());
    }

    private static Figures aws(MotoServer moto, Path root, int runs) throws Exception {
        double[] first = new double[runs];
        double[] total = new double[runs];
        TimedStreams[] timed = new TimedStreams[1];
        try (AwsStack aws = new AwsStack(moto, root, 3)) {
            aws.startWorker("bench", SECONDS, s -> timed[0] = new TimedStreams(s));
            for (int run = -1; run < runs; run++) {
                long start = System.nanoTime();
                String id = aws.api.start("benchmark", "en", null).id();
                Session done;
                while (!(done = aws.session(id)).status().isFinal()) {
                    Thread.sleep(10);
                }
                long end = System.nanoTime();
                check(done);
                if (run < 0) {
                    timed[0].forgetPuts();
                } else {
                    first[run] = (timed[0].firstPlaylist(id) - start) / 1e9;
                    total[run] = (end - start) / 1e9;
                    System.out.printf(Locale.ROOT, "aws run %d: first segment %.2f s, total %.2f s%n", run + 1,
                            first[run], total[run]);
                }
            }
        }
        return new Figures(median(first), median(total), timed[0].millisPerSegment());
    }

    private static void check(Session s) {
        if (s.status() != SessionStatus.READY) {
            throw new IllegalStateException("benchmark session ended " + s.status().wireName() + ": "
                    + s.errorMessage());
        }
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** Times every put; notes when each session's first playlist (the first segment listed) was stored. */
    private static final class TimedStreams implements StreamStore {
        private final StreamStore delegate;
        private final Map<String, Long> firstPlaylist = new ConcurrentHashMap<>();
        private final List<Long> segmentNanos = new CopyOnWriteArrayList<>();
        private final List<Long> playlistNanos = new CopyOnWriteArrayList<>();

        TimedStreams(StreamStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public void put(String sessionId, StreamFile file, byte[] content) throws IOException {
            long start = System.nanoTime();
            delegate.put(sessionId, file, content);
            long end = System.nanoTime();
            if (file.name().equals(StreamFile.PLAYLIST)) {
                playlistNanos.add(end - start);
                firstPlaylist.putIfAbsent(sessionId, end);
            } else if (file.name().startsWith("segment_")) {
                segmentNanos.add(end - start);
            }
        }

        @Override
        public Optional<StoredObject> get(String sessionId, StreamFile file) throws IOException {
            return delegate.get(sessionId, file);
        }

        /** Drops the put timings so far (the warm-up run's first connections and class loading). */
        void forgetPuts() {
            segmentNanos.clear();
            playlistNanos.clear();
        }

        long firstPlaylist(String id) {
            return firstPlaylist.getOrDefault(id, -1L);
        }

        /** Mean segment put plus mean playlist put: what publishing one segment costs. */
        double millisPerSegment() {
            return (mean(segmentNanos) + mean(playlistNanos)) / 1e6;
        }

        private static double mean(List<Long> values) {
            return values.stream().mapToLong(Long::longValue).average().orElse(0);
        }
    }
}
