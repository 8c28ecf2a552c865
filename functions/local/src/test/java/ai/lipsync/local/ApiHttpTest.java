package ai.lipsync.local;

import ai.lipsync.session.SessionStore;
import ai.lipsync.storage.StreamFile;
import ai.lipsync.storage.StreamStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The API over real HTTP against the running app, with the generation behind the queue replaced. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "lipsync.queue.capacity=2", "lipsync.queue.workers=1", "lipsync.queue.retry-after=7s",
        "lipsync.api.max-text-length=50", "lipsync.storage.data-dir=target/test-data",
        "lipsync.storage.hls-dir=target/test-data/hls"})
@Import(HttpTestConfiguration.class)
class ApiHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;
    @Autowired
    GatedJobHandler handler;
    @Autowired
    StreamStore streams;
    @Autowired
    SessionStore sessions;

    private URI uri(String rawPath) {
        return URI.create("http://127.0.0.1:" + port + rawPath);
    }

    private HttpResponse<byte[]> send(String method, String rawPath, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(rawPath))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static JsonNode json(HttpResponse<byte[]> r) throws IOException {
        return JSON.readTree(r.body());
    }

    private String start(String text, String lang) throws Exception {
        HttpResponse<byte[]> r = send("POST", "/api/stream/start", "{\"text\":\"" + text + "\",\"lang\":\"" + lang + "\"}");
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(201);
        return json(r).get("session_id").asText();
    }

    @Test
    void start_thenStatus_answersTheSpecShapes() throws Exception {
        HttpResponse<byte[]> r = send("POST", "/api/stream/start", "{\"text\":\"Привет!\",\"lang\":\"ru\"}");

        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        JsonNode started = json(r);
        String id = started.get("session_id").asText();
        assertThat(started.get("playlist_url").asText()).isEqualTo("/stream/" + id + "/playlist.m3u8");
        assertThat(started.get("status_url").asText()).isEqualTo("/api/stream/status/" + id);

        HttpResponse<byte[]> s = send("GET", started.get("status_url").asText(), null);
        assertThat(s.statusCode()).isEqualTo(200);
        JsonNode status = json(s);
        assertThat(status.get("session_id").asText()).isEqualTo(id);
        assertThat(status.get("status").asText()).isIn("created", "processing", "ready");
        for (String field : List.of("progress", "playlist_ready", "error", "error_code", "engine", "created_at", "updated_at")) {
            assertThat(status.has(field)).as(field).isTrue();
        }
    }

    @ParameterizedTest(name = "[{index}] {0} {1} {2} -> {3} {4}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "POST   | /api/stream/start | '{not json'                             | 400 | invalid_json",
            "POST   | /api/stream/start | NULL                                    | 400 | invalid_json",
            "POST   | /api/stream/start | '[1,2]'                                 | 400 | invalid_json",
            "POST   | /api/stream/start | '{\"lang\":\"ru\"}'                     | 400 | text_required",
            "POST   | /api/stream/start | '{\"text\":\"  \",\"lang\":\"ru\"}'     | 400 | text_required",
            "POST   | /api/stream/start | '{\"text\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\",\"lang\":\"en\"}' | 400 | text_too_long",
            "POST   | /api/stream/start | '{\"text\":\"hi\",\"lang\":\"de\"}'     | 400 | unsupported_lang",
            "POST   | /api/stream/start | '{\"text\":\"hi\"}'                     | 400 | lang_required",
            "POST   | /api/stream/start | '{\"text\":\"hi\",\"lang\":\"ru\\u0000\"}' | 400 | unsupported_lang",
            "POST   | /api/stream/start | '{\"text\":\"hi\",\"lang\":\" en\"}'   | 400 | unsupported_lang",
            "POST   | /api/stream/start | '{\"text\":\"a\\u0000b\",\"lang\":\"en\"}' | 400 | invalid_text",
            "POST   | /api/stream/start | '{\"text\":\"a\\u0085b\",\"lang\":\"en\"}' | 400 | invalid_text",
            "POST   | /api/stream/start | '{\"text\":\"a\\ud800b\",\"lang\":\"en\"}' | 400 | invalid_text",
            "POST   | /api/stream/start | '{\"text\":5,\"lang\":\"en\"}'          | 400 | invalid_field",
            "POST   | /api/stream/start | '{\"text\":\"hi\",\"lang\":\"en\",\"avatar\":\"ghost\"}' | 400 | unknown_avatar",
            "GET    | /api/stream/status/not-an-id | NULL                         | 400 | invalid_session_id",
            "GET    | /api/stream/status/AAAAAAAAAAAAAAAAAAAAAA | NULL            | 404 | session_not_found",
            "GET    | /stream/not-an-id/playlist.m3u8 | NULL                      | 400 | invalid_session_id",
            "GET    | /stream/AAAAAAAAAAAAAAAAAAAAAA/playlist.m3u8 | NULL         | 404 | session_not_found",
            "GET    | /stream/AAAAAAAAAAAAAAAAAAAAAA/segment_000.m4s | NULL       | 404 | session_not_found",
            "GET    | /stream/AAAAAAAAAAAAAAAAAAAAAA/notes.txt | NULL             | 400 | invalid_filename",
            "GET    | /stream/AAAAAAAAAAAAAAAAAAAAAA/segment_1.m4s | NULL         | 400 | invalid_filename",
            "GET    | /stream/AAAAAAAAAAAAAAAAAAAAAA/%2e%2e%2f%2e%2e%2fpom.xml | NULL | 400 | invalid_path",
            "GET    | /stream/AAAAAAAAAAAAAAAAAAAAAA/..%2F..%2Fpom.xml | NULL     | 400 | invalid_path",
            "GET    | /stream/AAAAAAAAAAAAAAAAAAAAAA/%2Fetc%2Fpasswd | NULL       | 400 | invalid_path",
            "GET    | /stream/AAAAAAAAAAAAAAAAAAAAAA/%252e%252e%252fpom.xml | NULL | 400 | invalid_filename",
            "GET    | /api/stream/start | NULL                                    | 405 | method_not_allowed",
            "PUT    | /api/stream/start | '{}'                                    | 405 | method_not_allowed",
            "DELETE | /api/stream/status/AAAAAAAAAAAAAAAAAAAAAA | NULL            | 405 | method_not_allowed",
            "POST   | /stream/AAAAAAAAAAAAAAAAAAAAAA/init.mp4 | '{}'              | 405 | method_not_allowed",
            "GET    | /api/nothing | NULL                                         | 404 | not_found",
            "GET    | /nothing-here | NULL                                        | 404 | not_found",
            "GET    | /stream/AAAAAAAAAAAAAAAAAAAAAA/a/b | NULL                   | 404 | not_found"})
    void badRequest_answersJson4xxWithCorsAndNoStackTrace(String method, String path, String body, int status, String code)
            throws Exception {
        HttpResponse<byte[]> r = send(method, path, body);

        String text = new String(r.body(), StandardCharsets.UTF_8);
        assertThat(r.statusCode()).as(text).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(json(r).get("error").asText()).isEqualTo(code);
        assertThat(json(r).get("message").asText()).isNotBlank();
        assertThat(text).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        if (status == 405) {
            assertThat(r.headers().firstValue("Allow")).isPresent();
        }
    }

    @Test
    void start_withAControlCharacter_namesItAndItsPosition() throws Exception {
        HttpResponse<byte[]> r = send("POST", "/api/stream/start", "{\"text\":\"Привет\\u0000!\",\"lang\":\"ru\"}");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("error").asText()).isEqualTo("invalid_text");
        assertThat(json(r).get("message").asText()).contains("control character U+0000 at position 7");
    }

    /** Sixty code points as sent (и + combining breve), thirty once composed: within the limit of 50. */
    @Test
    void start_normalisesTheTextToNfc_beforeTheLengthCheck() throws Exception {
        String decomposed = "\u0438\u0306".repeat(30);
        HttpResponse<byte[]> r = send("POST", "/api/stream/start",
                JSON.writeValueAsString(java.util.Map.of("text", decomposed, "lang", "ru")));

        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(201);
        String stored = sessions.find(json(r).get("session_id").asText()).orElseThrow().text();
        assertThat(stored).isEqualTo(java.text.Normalizer.normalize(decomposed, java.text.Normalizer.Form.NFC))
                .hasSize(30);
    }

    /** Raw dot segments, sent byte for byte (HttpClient would keep them, but a socket is certain). */
    @ParameterizedTest
    @CsvSource({"/stream/AAAAAAAAAAAAAAAAAAAAAA/../../pom.xml", "/stream/../../../etc/passwd",
            "/stream/AAAAAAAAAAAAAAAAAAAAAA/%2e%2e/%2e%2e/pom.xml", "/api/stream/status/..%5c..%5cpom.xml"})
    void rawTraversal_neverLeavesTheStreamAndAnswersJson4xx(String rawPath) throws IOException {
        String response = rawGet(rawPath);

        int status = Integer.parseInt(response.substring(9, 12));
        assertThat(status).as(response).isBetween(400, 499);
        assertThat(response).doesNotContain("<project").doesNotContain("root:x:0");
        assertThat(response.substring(response.indexOf("\r\n\r\n") + 4)).startsWith("{\"error\":");
    }

    private String rawGet(String rawPath) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(("GET " + rawPath + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void preflight_answers204WithMethodsHeadersAndMaxAge() throws Exception {
        HttpResponse<byte[]> r = send("OPTIONS", "/api/stream/start", null, "Origin", "http://player.example",
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type");

        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(r.headers().firstValue("Access-Control-Allow-Methods")).hasValueSatisfying(v -> assertThat(v).contains("POST"));
        assertThat(r.headers().firstValue("Access-Control-Allow-Headers")).hasValueSatisfying(v ->
                assertThat(v.toLowerCase()).contains("content-type"));
        assertThat(r.headers().firstValue("Access-Control-Max-Age")).isPresent();
    }

    @Test
    void preflight_forSegment_allowsRangeHeader() throws Exception {
        HttpResponse<byte[]> r = send("OPTIONS", "/stream/AAAAAAAAAAAAAAAAAAAAAA/segment_000.m4s", null,
                "Origin", "http://player.example", "Access-Control-Request-Method", "GET",
                "Access-Control-Request-Headers", "range");

        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.headers().firstValue("Access-Control-Allow-Methods")).hasValueSatisfying(v -> assertThat(v).contains("GET"));
        assertThat(r.headers().firstValue("Access-Control-Allow-Headers")).hasValueSatisfying(v ->
                assertThat(v.toLowerCase()).contains("range"));
    }

    @Test
    void segment_servesRangesAndRefusesBadOnes() throws Exception {
        String id = start("hello", "en");
        byte[] segment = new byte[1000];
        for (int i = 0; i < segment.length; i++) {
            segment[i] = (byte) (i * 7);
        }
        streams.put(id, StreamFile.parse("segment_000.m4s").orElseThrow(), segment);
        streams.put(id, StreamFile.parse("playlist.m3u8").orElseThrow(), "#EXTM3U\n".getBytes(StandardCharsets.UTF_8));
        String path = "/stream/" + id + "/segment_000.m4s";

        HttpResponse<byte[]> whole = send("GET", path, null);
        HttpResponse<byte[]> part = send("GET", path, null, "Range", "bytes=100-199");
        HttpResponse<byte[]> tail = send("GET", path, null, "Range", "bytes=-10");
        HttpResponse<byte[]> past = send("GET", path, null, "Range", "bytes=5000-");
        HttpResponse<byte[]> head = send("HEAD", path, null);
        HttpResponse<byte[]> playlist = send("GET", "/stream/" + id + "/playlist.m3u8", null);

        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(segment);
        assertThat(whole.headers().firstValue("Content-Type")).hasValue("video/iso.segment");
        assertThat(whole.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        assertThat(whole.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("immutable"));
        assertThat(whole.headers().firstValue("Access-Control-Expose-Headers")).hasValueSatisfying(v ->
                assertThat(v).contains("Content-Length").contains("Content-Range").contains("Accept-Ranges"));
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 100-199/1000");
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(segment, 100, 200));
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(segment, 990, 1000));
        assertThat(past.statusCode()).isEqualTo(416);
        assertThat(past.headers().firstValue("Content-Range")).hasValue("bytes */1000");
        assertThat(json(past).get("error").asText()).isEqualTo("range_not_satisfiable");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Length")).hasValue("1000");
        assertThat(head.body()).isEmpty();
        assertThat(playlist.headers().firstValue("Content-Type")).hasValue("application/vnd.apple.mpegurl");
        assertThat(playlist.headers().firstValue("Cache-Control")).hasValue("no-cache");
    }

    @Test
    void start_pastQueueCapacity_answers429WithRetryAfter_andEveryAcceptedJobStillRuns() throws Exception {
        handler.close();
        List<String> accepted = new ArrayList<>();
        try {
            accepted.add(start("one", "en"));
            assertThat(handler.awaitWorkerHeld()).isTrue();
            accepted.add(start("two", "ru"));
            accepted.add(start("three", "kk"));

            HttpResponse<byte[]> refused = send("POST", "/api/stream/start", "{\"text\":\"four\",\"lang\":\"en\"}");

            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("7");
            assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
            assertThat(json(refused).get("error").asText()).isEqualTo("queue_full");
        } finally {
            handler.open();
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!handler.ran().containsAll(accepted) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(handler.ran()).containsAll(accepted);
    }

    @ParameterizedTest
    @CsvSource({"/startStream", "/lipsyncApi", "/streamFile", "/streamStatus", "/startStream,streamStatus"})
    void functionWebEndpoints_areNotExposed(String path) throws Exception {
        String event = "{\"method\":\"GET\",\"path\":\"/x\",\"pathParameters\":{\"id\":\"AAAAAAAAAAAAAAAAAAAAAA\","
                + "\"filename\":\"../../pom.xml\"},\"body\":\"\"}";

        HttpResponse<byte[]> post = send("POST", path, event);
        HttpResponse<byte[]> get = send("GET", path, null);

        assertThat(post.statusCode()).isIn(404, 405);
        assertThat(get.statusCode()).isEqualTo(404);
        assertThat(json(get).get("error").asText()).isEqualTo("not_found");
    }
}
