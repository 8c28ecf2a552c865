package ai.lipsync.pipeline;

import ai.lipsync.engine.MuseTalkEngine;
import ai.lipsync.engine.MuseTalkSettings;
import ai.lipsync.musetalk.GoldenGraphs;
import ai.lipsync.session.GenerationJob;
import ai.lipsync.session.Language;
import ai.lipsync.session.Session;
import ai.lipsync.settings.TtsConfig;
import ai.lipsync.testing.MuseTalkTestAvatars;
import ai.lipsync.testing.SampleAnswers;
import ai.lipsync.tts.EspeakSpeechSynthesizer;
import ai.lipsync.tts.OpenAiSpeechSynthesizer;
import ai.lipsync.tts.SpeechSynthesizer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * Not a test: time from the start of a generation to its first segment listed and to {@code ready},
 * for a 10-word and a 2,000-character answer in ru, kk and en, with espeak-ng and with a local
 * OpenAI-compatible speech service that answers like a real one (300 ms, then the audio streamed over
 * 30 ms per word), on the default avatar with the weights-free engine and with MuseTalk on the
 * golden-size graphs (exported at start by the models' Python, as the tests do; MUSETALK_GOLDEN_DIR).
 * Run from the repository root:
 * <pre>
 * mvn -q -pl functions/generation -am test-compile exec:java -Dexec.skip=true -Dlipsync.exec.skip=true -Dexec.classpathScope=test \
 *     -Dexec.mainClass=ai.lipsync.pipeline.StreamingLatencyBenchmark [-Dexec.args="runs [weights-free,musetalk] [10-words,2000-chars]"]
 * </pre>
 */
public final class StreamingLatencyBenchmark {
    private static final Map<Language, String> VOICES = Map.of(Language.RU, "ru", Language.KK, "kk", Language.EN, "en");
    private static final String WEIGHTS_FREE = "weights-free";
    private static final String MUSETALK = "musetalk";
    private static final String SHORT = "10-words";
    private static final String LONG = "2000-chars";

    private StreamingLatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        List<String> engines = args.length > 1 ? List.of(args[1].split(",")) : List.of(WEIGHTS_FREE, MUSETALK);
        // MuseTalk on a CPU renders far slower than real time: its 2,000-character rows take many minutes.
        List<String> texts = args.length > 2 ? List.of(args[2].split(",")) : List.of(SHORT, LONG);
        if (!List.of(SHORT, LONG).containsAll(texts)) {
            throw new IllegalArgumentException("texts " + texts + ": expected " + SHORT + " and/or " + LONG);
        }
        Path root = Path.of("target", "benchmark-streaming").toAbsolutePath();
        PipelineBenchmark.ReadyClock sessions = new PipelineBenchmark.ReadyClock();
        PipelineFixture fixture = new PipelineFixture(root, sessions);
        LatencyTable table = new LatencyTable(fixture, sessions, root, runs, texts);
        EspeakSpeechSynthesizer espeak = new EspeakSpeechSynthesizer("espeak-ng", VOICES, Duration.ofSeconds(30));
        long begin = System.nanoTime();
        try (SlowSpeechService service = new SlowSpeechService(espeak)) {
            TtsConfig openAi = new TtsConfig(TtsConfig.Provider.OPENAI, service.base(), "key", VOICES, null, "wav",
                    Duration.ofSeconds(30), null, null, null, null, null, null);
            List<SpeechSynthesizer> voices = List.of(espeak,
                    new OpenAiSpeechSynthesizer(openAi, HttpClient.newHttpClient()));
            System.out.printf(Locale.ROOT, "encoder %s, cores %d, %d runs each (median)%n",
                    fixture.probe.encoder().codecName(), Runtime.getRuntime().availableProcessors(), runs);
            System.out.println("| engine | TTS | lang | text | chars | first segment s | ready s | speech s |");
            System.out.println("|---|---|---|---|---|---|---|---|");
            for (String engine : engines) {
                switch (engine) {
                    case WEIGHTS_FREE -> {
                        for (SpeechSynthesizer tts : voices) {
                            table.print(tts, fixture.pipeline(tts));
                        }
                    }
                    case MUSETALK -> {
                        Path graphs = root.resolve("golden-graphs");
                        try (MuseTalkEngine museTalk = new MuseTalkEngine(GoldenGraphs.exportAndLoad(graphs),
                                MuseTalkSettings.defaults())) {
                            MuseTalkTestAvatars prepared = fixture.museTalkAvatars(museTalk.models());
                            for (SpeechSynthesizer tts : voices) {
                                table.print(tts, fixture.pipeline(tts, museTalk, prepared));
                            }
                        }
                    }
                    default -> throw new IllegalArgumentException(
                            "engine '" + engine + "': expected " + WEIGHTS_FREE + " or " + MUSETALK);
                }
            }
        }
        System.out.printf(Locale.ROOT, "total %.0f s%n", (System.nanoTime() - begin) / 1e9);
    }

    /** One table: a row per language and text for each speech service and pipeline it is given. */
    private record LatencyTable(PipelineFixture fixture, PipelineBenchmark.ReadyClock sessions, Path root, int runs,
            List<String> texts) {

        /** A warm-up answer, then the rows of {@code tts} on {@code pipeline}; the engine as the session names it. */
        void print(SpeechSynthesizer tts, GenerationPipeline pipeline) throws IOException {
            pipeline.handle(fixture.newJob(SampleAnswers.words(Language.EN, 10), "default", Language.EN)); // warm-up
            for (Language language : Language.values()) {
                for (String text : texts.stream().map(t -> t.equals(SHORT) ? SampleAnswers.words(language, 10)
                        : answerOf2000(language)).toList()) {
                    double[] first = new double[runs];
                    double[] ready = new double[runs];
                    double speech = 0;
                    String engine = null;
                    for (int run = 0; run < runs; run++) {
                        GenerationJob job = fixture.newJob(text, "default", language);
                        long start = System.nanoTime();
                        pipeline.handle(job);
                        ready[run] = (System.nanoTime() - start) / 1e9;
                        first[run] = (sessions.firstSegment(job.sessionId()) - start) / 1e9;
                        Session done = fixture.session(job.sessionId());
                        if (!done.status().wireName().equals("ready")) {
                            throw new IllegalStateException(done.errorCode() + ": " + done.errorMessage());
                        }
                        engine = done.engine();
                        speech = new ai.lipsync.audio.AudioDecoder().decode(root.resolve("data/audio")
                                .resolve(job.sessionId()).resolve("tts.mp3")).durationSeconds();
                    }
                    System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %d | %.2f | %.2f | %.1f |%n", engine,
                            tts.name(), language.code(), text.length() > 200 ? "2,000 chars" : "10 words",
                            text.length(), median(first), median(ready), speech);
                }
            }
        }
    }

    /** The longest answer of whole sentences within 2,000 characters. */
    static String answerOf2000(Language language) {
        List<Integer> ends = new ArrayList<>();
        String text = SampleAnswers.answer(language, 2000, ends);
        return text.substring(0, ends.stream().filter(e -> e <= 2000).max(Integer::compare).orElseThrow());
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }

    /**
     * {@code POST /v1/audio/speech} as a hosted service answers it: espeak-ng's WAV for the input, the
     * headers after 300 ms, the body streamed in pieces until 300 ms + 30 ms per word.
     */
    static final class SlowSpeechService implements AutoCloseable {
        private final HttpServer server;
        private final SpeechSynthesizer voice;
        private final ObjectMapper json = new ObjectMapper();

        SlowSpeechService(SpeechSynthesizer voice) throws IOException {
            this.voice = voice;
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(Executors.newCachedThreadPool());
            server.createContext("/v1/audio/speech", this::answer);
            server.start();
        }

        URI base() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        private void answer(HttpExchange ex) throws IOException {
            long start = System.nanoTime();
            try (ex) {
                var body = json.readTree(ex.getRequestBody().readAllBytes());
                String input = body.path("input").asText();
                String voiceName = body.path("voice").asText("en");
                Language lang = Arrays.stream(Language.values()).filter(l -> VOICES.get(l).equals(voiceName))
                        .findFirst().orElse(Language.EN);
                byte[] wav = voice.synthesize(input, lang).audio();
                int words = input.trim().split("\\s+").length;
                sleepUntil(start, 300);
                ex.getResponseHeaders().set("Content-Type", "audio/wav");
                ex.sendResponseHeaders(200, 0);
                OutputStream out = ex.getResponseBody();
                int pieces = Math.max(1, words);
                for (int i = 0; i < pieces; i++) {
                    int from = (int) ((long) wav.length * i / pieces);
                    int to = (int) ((long) wav.length * (i + 1) / pieces);
                    out.write(wav, from, to - from);
                    out.flush();
                    sleepUntil(start, 300 + 30L * (i + 1));
                }
            }
        }

        private static void sleepUntil(long start, long millis) {
            long left = start + millis * 1_000_000L - System.nanoTime();
            if (left > 0) {
                try {
                    Thread.sleep(left / 1_000_000L, (int) (left % 1_000_000L));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
