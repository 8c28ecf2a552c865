package ai.lipsync.pipeline;

import ai.lipsync.session.InProcessJobQueue;
import ai.lipsync.session.SessionIds;
import ai.lipsync.session.SessionService;
import ai.lipsync.settings.TtsConfig;
import ai.lipsync.tts.EspeakSpeechSynthesizer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Not a test: the time from a cancel ({@code DELETE /api/stream/{id}} calls {@link SessionService#cancel})
 * to {@code #EXT-X-ENDLIST} in the stored playlist, on the embedded default's wiring (espeak-ng, the
 * weights-free engine, the filesystem store, the in-process queue), cancelling a 2,000-character
 * answer once its playlist lists {@code afterSegments} segments. Run from the repository root:
 * <pre>
 * mvn -q -pl functions/generation -am test-compile exec:java -Dexec.skip=true -Dlipsync.exec.skip=true -Dexec.classpathScope=test \
 *     -Dexec.mainClass=ai.lipsync.pipeline.CancelBenchmark [-Dexec.args="runs afterSegments"]
 * </pre>
 */
public final class CancelBenchmark {
    private static final String TEXT = ("This long answer keeps the avatar talking for a good while, so that a"
            + " listener has every reason to interrupt it in the middle of a sentence. ").repeat(13).strip();

    private CancelBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int afterSegments = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path root = Files.createTempDirectory("cancel-benchmark");
        PipelineFixture fixture = new PipelineFixture(root);
        GenerationPipeline pipeline = fixture.pipeline(EspeakSpeechSynthesizer.create(TtsConfig.defaultEspeak()));
        List<Double> millis = new ArrayList<>();
        try (InProcessJobQueue queue = new InProcessJobQueue(pipeline, 2, 1, Duration.ofSeconds(1), Duration.ofSeconds(60))) {
            SessionService service = new SessionService(fixture.sessions, queue, SessionIds.create(), id -> true,
                    "default", 2000, Clock.systemUTC());
            System.out.printf(Locale.ROOT, "text: %d characters (en), cancelled after %d segments%n", TEXT.length(),
                    afterSegments);
            for (int run = 0; run <= runs; run++) {
                String id = service.start(TEXT, "en", null).id();
                Path playlist = fixture.streamDir(id).resolve("playlist.m3u8");
                while (segments(playlist) < afterSegments) {
                    Thread.sleep(1);
                }
                long cancelled = System.nanoTime();
                service.cancel(id);
                while (!Files.readString(playlist).contains("#EXT-X-ENDLIST")) {
                    Thread.sleep(0, 200_000);
                }
                double ms = (System.nanoTime() - cancelled) / 1e6;
                int listed = segments(playlist);
                System.out.printf(Locale.ROOT, "%s %d: cancel -> #EXT-X-ENDLIST %.1f ms (%d segments listed)%n",
                        run == 0 ? "warm-up" : "run", run, ms, listed);
                if (run > 0) {
                    millis.add(ms);
                }
            }
        }
        millis.sort(null);
        System.out.printf(Locale.ROOT, "cancel -> #EXT-X-ENDLIST: median %.1f ms, max %.1f ms over %d runs%n",
                millis.get(millis.size() / 2), millis.get(millis.size() - 1), millis.size());
    }

    private static int segments(Path playlist) throws java.io.IOException {
        if (!Files.exists(playlist)) {
            return 0;
        }
        return (int) Files.readAllLines(playlist).stream().filter(l -> l.endsWith(".m4s")).count();
    }
}
