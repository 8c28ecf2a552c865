package ai.lipsync.pipeline;

import ai.lipsync.session.InProcessJobQueue;
import ai.lipsync.session.Session;
import ai.lipsync.session.SessionIds;
import ai.lipsync.session.SessionService;
import ai.lipsync.session.SessionStatus;
import ai.lipsync.settings.TtsConfig;
import ai.lipsync.tts.EspeakSpeechSynthesizer;
import ai.lipsync.tts.OpenAiSpeechSynthesizer;
import ai.lipsync.tts.SpeechSynthesizer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A cancel while the speech is still being made, through the embedded default's own wiring (the
 * session service, the in-process queue, the pipeline): the TTS call in flight is aborted, not waited
 * for, and the session ends {@code cancelled} without a stream.
 */
class GenerationCancelTest {
    private static final Duration TTS_TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path root;

    /** A speech service that reads the request and never answers; it notes when the client hangs up. */
    static final class StallingSpeechServer implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        private final CountDownLatch requested = new CountDownLatch(1);
        private final CountDownLatch hungUp = new CountDownLatch(1);
        private final Thread thread = new Thread(this::serve, "stalling-tts");

        StallingSpeechServer() throws IOException {
            thread.setDaemon(true);
            thread.start();
        }

        URI base() {
            return URI.create("http://127.0.0.1:" + server.getLocalPort());
        }

        private void serve() {
            try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                readHead(in);
                requested.countDown();
                // Nothing is ever answered: only the client can end this connection.
                while (in.read() >= 0) {
                    // the body and anything else the client sends
                }
                hungUp.countDown();
            } catch (IOException e) {
                hungUp.countDown(); // a reset is a hang-up too
            }
        }

        private static void readHead(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("the client closed before its request was complete");
                }
                head.write(b);
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    @Test
    void cancelWhileAnHttpSpeechServiceStalls_abortsTheRequest_andEndsCancelledWithoutAStream() throws Exception {
        try (StallingSpeechServer tts = new StallingSpeechServer()) {
            SpeechSynthesizer synthesizer = new OpenAiSpeechSynthesizer(new TtsConfig(TtsConfig.Provider.OPENAI,
                    tts.base(), "key", Map.of(), null, null, TTS_TIMEOUT, null, null, null, null, null, null),
                    HttpClient.newHttpClient());
            Run run = new Run(synthesizer);
            Session started = run.service.start("Hello there, this will never be said.", "en", null);
            assertThat(tts.requested.await(60, TimeUnit.SECONDS)).as("the speech request arrived").isTrue();

            run.service.cancel(started.id());

            assertThat(tts.hungUp.await(30, TimeUnit.SECONDS)).as("the speech service saw the request aborted").isTrue();
            run.drain();
            run.assertCancelledWithoutSpeech(started.id());
        }
    }

    @Test
    void cancelWhileEspeakSpeaks_killsItsProcess_andEndsCancelledWithoutAStream() throws Exception {
        Run run = new Run(EspeakSpeechSynthesizer.create(TtsConfig.defaultEspeak()));
        String text = "A sentence that espeak-ng needs a while to speak, again and again. ".repeat(29).strip();
        Session started = run.service.start(text, "en", null);
        ProcessHandle espeak = awaitEspeak();

        run.service.cancel(started.id());

        assertThat(espeak.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
        run.drain();
        run.assertCancelledWithoutSpeech(started.id());
    }

    private static ProcessHandle awaitEspeak() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            List<ProcessHandle> found = ProcessHandle.current().descendants()
                    .filter(p -> p.info().command().map(c -> c.contains("espeak")).orElse(false)).toList();
            if (!found.isEmpty()) {
                return found.get(0);
            }
            Thread.sleep(2);
        }
        throw new AssertionError("espeak-ng never started");
    }

    /** The pipeline behind the in-process queue and the session service, as the web app wires them. */
    private final class Run {
        final PipelineFixture fixture = new PipelineFixture(root);
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final InProcessJobQueue queue;
        final SessionService service;

        Run(SpeechSynthesizer synthesizer) {
            GenerationPipeline pipeline = fixture.pipeline(synthesizer, new GenerationMetrics(registry));
            queue = new InProcessJobQueue(pipeline, 2, 1, Duration.ofSeconds(1), Duration.ofSeconds(60));
            service = new SessionService(fixture.sessions, queue, SessionIds.create(), id -> true,
                    "default", 2000, Clock.systemUTC());
        }

        /** Waits for the job to end (the queue's close lets accepted jobs finish). */
        void drain() {
            queue.close();
        }

        void assertCancelledWithoutSpeech(String id) throws IOException {
            Session s = fixture.session(id);
            assertThat(s.status()).isEqualTo(SessionStatus.CANCELLED);
            assertThat(s.errorCode()).isNull();
            assertThat(s.playlistReady()).isFalse();
            assertThat(Files.exists(fixture.ttsAudio.pathFor(id))).as("tts.mp3").isFalse();
            assertThat(Files.exists(fixture.streamDir(id))
                    ? Files.list(fixture.streamDir(id)).toList() : List.of()).as("stream files").isEmpty();
            assertThat(registry.get(GenerationMetrics.SESSIONS).tag("status", "cancelled").counter().count())
                    .isEqualTo(1);
            assertThat(registry.find(GenerationMetrics.SESSIONS).tag("status", "error").counter()).isNull();
        }
    }
}
