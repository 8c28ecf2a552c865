package ai.lipsync.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A finished session expires after the configured retention: status 404, its files gone. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "lipsync.retention.keep=1s", "lipsync.retention.sweep-interval=200ms"})
class SessionRetentionHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path root;

    private final HttpClient http = HttpClient.newHttpClient();
    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void directories(DynamicPropertyRegistry registry) {
        TestDirectories.register(registry, root);
    }

    @Test
    void finishedSession_afterTheRetention_isGoneWithItsFiles() throws Exception {
        HttpResponse<String> started = http.send(HttpRequest.newBuilder(uri("/api/stream/start"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(
                        JSON.writeValueAsBytes(Map.of("text", "Hi.", "lang", "en")))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(started.statusCode()).isEqualTo(201);
        String id = JSON.readTree(started.body()).get("session_id").asText();
        String statusUrl = "/api/stream/status/" + id;

        long deadline = System.nanoTime() + 120_000_000_000L;
        boolean sawReady = false;
        int status = 200;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(statusUrl)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            status = r.statusCode();
            if (status == 404) {
                break;
            }
            JsonNode body = JSON.readTree(r.body());
            sawReady |= body.get("status").asText().equals("ready");
            Thread.sleep(100);
        }

        assertThat(sawReady).as("the session was ready before it expired").isTrue();
        assertThat(status).as("status of an expired session").isEqualTo(404);
        assertThat(http.send(HttpRequest.newBuilder(uri("/stream/" + id + "/playlist.m3u8")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
        assertThat(root.resolve("static/hls").resolve(id)).doesNotExist();
        assertThat(root.resolve("data/audio").resolve(id)).doesNotExist();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
