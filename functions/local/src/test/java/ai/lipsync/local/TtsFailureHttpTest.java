package ai.lipsync.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app with its TTS provider pointed at a real local HTTP server that fails: the session ends
 * in error with the right code and a readable reason, and the app keeps serving.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TtsFailureHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicReference<String> MODE = new AtomicReference<>("500");
    private static final CountDownLatch RELEASE = new CountDownLatch(1);
    private static final HttpServer TTS = startTts();
    private static final Path ROOT = tempRoot();

    private final HttpClient http = HttpClient.newHttpClient();
    @LocalServerPort
    int port;

    private static HttpServer startTts() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
            server.createContext("/", ex -> {
                ex.getRequestBody().readAllBytes();
                try (ex) {
                    if (MODE.get().equals("stall")) {
                        RELEASE.await(30, TimeUnit.SECONDS);
                        return;
                    }
                    byte[] body = "{\"error\":\"upstream exploded\"}".getBytes(StandardCharsets.UTF_8);
                    ex.getResponseHeaders().set("Content-Type", "application/json");
                    ex.sendResponseHeaders(500, body.length);
                    ex.getResponseBody().write(body);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Path tempRoot() {
        try {
            return Files.createTempDirectory("lipsync-tts-failure-");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void tts(DynamicPropertyRegistry registry) {
        registry.add("lipsync.tts.provider", () -> "openai");
        registry.add("lipsync.tts.url", () -> "http://127.0.0.1:" + TTS.getAddress().getPort());
        registry.add("lipsync.tts.key", () -> "test-key-not-secret");
        registry.add("lipsync.tts.timeout", () -> "1s");
        TestDirectories.register(registry, ROOT);
    }

    @AfterAll
    static void stopTts() {
        RELEASE.countDown();
        TTS.stop(0);
    }

    private JsonNode call(String method, String path, String body) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        return JSON.readTree(r.body());
    }

    private JsonNode runToEnd(String text) throws Exception {
        JsonNode started = call("POST", "/api/stream/start", "{\"text\":\"" + text + "\",\"lang\":\"en\"}");
        String statusUrl = started.get("status_url").asText();
        long deadline = System.nanoTime() + 60_000_000_000L;
        JsonNode status = call("GET", statusUrl, null);
        while (!status.get("status").asText().equals("error") && !status.get("status").asText().equals("ready")
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
            status = call("GET", statusUrl, null);
        }
        return status;
    }

    @Test
    void ttsAnswering500_endsSessionInTtsFailed_andTheAppKeepsServing() throws Exception {
        MODE.set("500");
        JsonNode failed = runToEnd("hello");

        assertThat(failed.get("status").asText()).isEqualTo("error");
        assertThat(failed.get("error_code").asText()).isEqualTo("tts_failed");
        assertThat(failed.get("error").asText()).contains("HTTP 500").doesNotContain("test-key-not-secret");
        assertThat(failed.get("playlist_ready").asBoolean()).isFalse();

        JsonNode playlist = call("GET", "/stream/" + failed.get("session_id").asText() + "/playlist.m3u8", null);
        assertThat(playlist.get("error").asText()).isEqualTo("stream_failed");

        MODE.set("stall");
        JsonNode timedOut = runToEnd("are you there");
        assertThat(timedOut.get("status").asText()).isEqualTo("error");
        assertThat(timedOut.get("error_code").asText()).isEqualTo("tts_timeout");
        assertThat(timedOut.get("error").asText()).contains("did not answer within 1 s");
    }
}
