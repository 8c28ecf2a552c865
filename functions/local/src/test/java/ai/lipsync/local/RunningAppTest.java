package ai.lipsync.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.io.TempDir;
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

/**
 * What the tests against the running app (a {@code @SpringBootTest} on a random port) share: its
 * folders under one temp dir, a real HTTP client, and starting a session as a caller does.
 */
abstract class RunningAppTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path root;

    final HttpClient http = HttpClient.newHttpClient();
    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void directories(DynamicPropertyRegistry registry) {
        TestDirectories.register(registry, root);
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    HttpResponse<byte[]> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** POST /api/stream/start with {@code request} as JSON; asserts 201 and returns the answer. */
    JsonNode start(Map<String, String> request) throws Exception {
        HttpResponse<byte[]> started = http.send(HttpRequest.newBuilder(URI.create(base() + "/api/stream/start"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(request))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(started.statusCode()).as(new String(started.body(), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(201);
        return JSON.readTree(started.body());
    }
}
