package ai.lipsync.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every method the server routes nowhere (TRACE included) answers a JSON 405 with {@code Allow}, on the
 * API paths, the demo page's files and unknown paths alike; TRACE never echoes the request back.
 * Sent over a socket, byte for byte: the connector sees exactly what a client sends.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "lipsync.storage.data-dir=target/test-data", "lipsync.storage.hls-dir=target/test-data/hls"})
@Import(HttpTestConfiguration.class)
class UnroutedMethodHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "s3cret-cookie-value";

    @LocalServerPort
    int port;

    @ParameterizedTest(name = "[{index}] {0} {1}")
    @CsvSource({
            "TRACE, /", "TRACE, /index.html", "TRACE, /nothing-here", "TRACE, /api/stream/start",
            "TRACE, /api/stream/status/AAAAAAAAAAAAAAAAAAAAAA", "TRACE, /stream/AAAAAAAAAAAAAAAAAAAAAA/playlist.m3u8",
            "TRACE, /api/nothing",
            "PUT, /", "PUT, /index.html", "PUT, /nothing-here", "PUT, /api/nothing",
            "PATCH, /app.js", "PATCH, /api/stream/start", "PATCH, /nothing-here",
            "DELETE, /index.html", "DELETE, /nothing-here", "DELETE, /api/nothing", "DELETE, /stream/AAAAAAAAAAAAAAAAAAAAAA/a/b",
            "PROPFIND, /", "PROPFIND, /api/stream/start", "FOO, /nothing-here"})
    void unroutedMethod_answersJson405WithAllow_andNeverEchoesTheRequest(String method, String path) throws IOException {
        Answer r = send(method, path);

        assertThat(r.status()).as(r.raw()).isEqualTo(405);
        assertThat(r.header("content-type")).as(r.raw()).startsWith("application/json");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("error").asText()).isEqualTo("method_not_allowed");
        assertThat(body.get("message").asText()).contains(method);
        List<String> allowed = Arrays.stream(r.header("allow").split(",")).map(String::trim).toList();
        assertThat(allowed).as("Allow").isNotEmpty().doesNotContain(method).allMatch(m -> m.matches("[A-Z]+"));
        assertThat(r.header("access-control-allow-origin")).isEqualTo("*");
        assertThat(r.raw()).doesNotContain(SECRET);
    }

    /** Paths Tomcat refuses itself: still JSON, and TRACE still echoes nothing. */
    @ParameterizedTest(name = "[{index}] TRACE {0}")
    @CsvSource({"/stream/../../../etc/passwd", "/api/stream/status/..%5c..%5cpom.xml", "/%2e%2e/%2e%2e/pom.xml"})
    void trace_ofAPathRefusedBeforeTheApp_answersJson4xxWithoutEcho(String path) throws IOException {
        Answer r = send("TRACE", path);

        assertThat(r.status()).as(r.raw()).isBetween(400, 499);
        assertThat(r.body()).as(r.raw()).startsWith("{\"error\":");
        assertThat(r.raw()).doesNotContain(SECRET).doesNotContain("root:x:0");
    }

    private record Answer(int status, Map<String, String> headers, String body, String raw) {
        String header(String name) {
            return headers.getOrDefault(name, "");
        }
    }

    private Answer send(String method, String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write((method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Cookie: session=" + SECRET + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String raw = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int headEnd = raw.indexOf("\r\n\r\n");
            String[] head = raw.substring(0, headEnd).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < head.length; i++) {
                int colon = head[i].indexOf(':');
                headers.put(head[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), head[i].substring(colon + 1).trim());
            }
            String body = raw.substring(headEnd + 4);
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                body = unchunk(body);
            }
            return new Answer(Integer.parseInt(head[0].substring(9, 12)), headers, body, raw);
        }
    }

    private static String unchunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
            if (size == 0) {
                return out.toString();
            }
            out.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
    }
}
