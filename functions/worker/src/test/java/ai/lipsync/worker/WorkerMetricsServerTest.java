package ai.lipsync.worker;

import ai.lipsync.aws.SettingsBinder;
import ai.lipsync.engine.EngineSelection;
import ai.lipsync.pipeline.GenerationAssembly;
import ai.lipsync.pipeline.GenerationMetrics;
import ai.lipsync.settings.LipsyncSettings;
import ai.lipsync.session.GenerationJob;
import ai.lipsync.session.InMemorySessionStore;
import ai.lipsync.session.Language;
import ai.lipsync.session.Session;
import ai.lipsync.session.SessionIds;
import ai.lipsync.session.SessionStatus;
import ai.lipsync.storage.FileSystemStreamStore;
import ai.lipsync.testing.FakeSynthesizer;
import ai.lipsync.testing.TestAudio;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The worker's generation wired as WorkerMain wires it (GenerationAssembly with a Prometheus
 * registry), one real weights-free generation, then its meters scraped over HTTP from
 * {@link WorkerMetricsServer}.
 */
class WorkerMetricsServerTest {
    @TempDir
    Path root;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void afterAGeneration_getMetricsServesItsMetersInPrometheusText_otherMethodsAre405() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        LipsyncSettings settings = WorkerHarness.settingsUnder(root);
        InMemorySessionStore sessions = new InMemorySessionStore();
        FileSystemStreamStore streams = new FileSystemStreamStore(root.resolve("hls"));
        String id = SessionIds.create().next();
        sessions.create(Session.created(id, "Hello.", Language.EN, "default", Clock.systemUTC().instant()));
        try (GenerationAssembly assembly = GenerationAssembly.create(settings,
                FakeSynthesizer.returning(TestAudio.wav(TestAudio.speechLike(1.5, 0.2, 0.3, 16_000)), "audio/wav"),
                new EngineSelection.UseWeightsFree("test"), Clock.systemUTC(), new GenerationMetrics(registry));
             WorkerMetricsServer server = WorkerMetricsServer.start(registry, 0)) {
            assembly.pipeline(sessions, streams).handle(new GenerationJob(id, "Hello.", Language.EN, "default"));
            assertThat(sessions.find(id).orElseThrow().status()).isEqualTo(SessionStatus.READY);
            long segments = Files.readAllLines(root.resolve("hls").resolve(id).resolve("playlist.m3u8")).stream()
                    .filter(line -> line.matches("segment_\\d+\\.m4s")).count();

            HttpResponse<String> scrape = send(server, "GET", "/metrics");
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
            assertThat(scrape.body())
                    .contains("lipsync_sessions_total{error_code=\"none\",status=\"ready\"} 1.0")
                    .contains("lipsync_segments_published_total " + (double) segments)
                    .contains("lipsync_time_to_first_segment_seconds_count 1")
                    .contains("lipsync_tts_seconds_count{provider=\"fake\"} 1")
                    .contains("lipsync_stage_seconds_count{stage=\"encode\"} 1")
                    .contains("lipsync_frames_total ");
            assertThat(send(server, "POST", "/metrics").statusCode()).isEqualTo(405);
            assertThat(send(server, "GET", "/other").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void metricsPort_isOffUnlessSet_andANonPortIsRefusedNamingTheVariable() {
        assertThat(metricsPort(Map.of())).isEqualTo(OptionalInt.empty());
        assertThat(metricsPort(Map.of("LIPSYNC_WORKER_METRICSPORT", "9464"))).isEqualTo(OptionalInt.of(9464));
        assertThatThrownBy(() -> metricsPort(Map.of("LIPSYNC_WORKER_METRICSPORT", "70000")))
                .hasMessageContaining("LIPSYNC_WORKER_METRICSPORT");
        assertThatThrownBy(() -> metricsPort(Map.of("LIPSYNC_WORKER_METRICSPORT", "x")))
                .hasMessageContaining("LIPSYNC_WORKER_METRICSPORT");
    }

    private static OptionalInt metricsPort(Map<String, String> env) {
        return SettingsBinder.bind(env).worker().metricsPortIfSet();
    }

    private HttpResponse<String> send(WorkerMetricsServer server, String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }
}
