package ai.lipsync.local;

import ai.lipsync.api.ApiRequest;
import ai.lipsync.api.ApiResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.context.annotation.Import;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo page and its files come from the same app, with CORS; the router is a catalogued function. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "lipsync.queue.capacity=2", "lipsync.queue.workers=1", "lipsync.queue.retry-after=7s",
        "lipsync.api.max-text-length=50", "lipsync.storage.data-dir=target/test-data",
        "lipsync.storage.hls-dir=target/test-data/hls"})
@Import(HttpTestConfiguration.class)
class StaticPageHttpTest {
    private final HttpClient http = HttpClient.newHttpClient();
    @LocalServerPort
    int port;
    @Autowired
    FunctionCatalog catalog;

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void root_servesTheDemoPage() throws Exception {
        HttpResponse<String> root = get("/");

        assertThat(root.statusCode()).isEqualTo(200);
        assertThat(root.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(root.body()).containsIgnoringCase("<html").contains("app.js");
        assertThat(root.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(get("/index.html").body()).isEqualTo(root.body());
    }

    @Test
    void pageAssets_areServed() throws Exception {
        HttpResponse<String> app = get("/app.js");
        HttpResponse<String> hls = get("/vendor/hls.min.js");

        assertThat(app.statusCode()).isEqualTo(200);
        assertThat(app.body()).contains("/api/stream/start");
        assertThat(hls.statusCode()).isEqualTo(200);
        assertThat(hls.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("javascript"));
    }

    @Test
    void postToThePage_answers405Json() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/index.html"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.body()).startsWith("{\"error\":\"method_not_allowed\"");
    }

    /** What the AWS adapter will do with spring.cloud.function.definition=lipsyncApi (issue 6). */
    @Test
    void functionCatalog_findsTheRouterByName() {
        Function<ApiRequest, ApiResponse> api = catalog.lookup(Function.class, "lipsyncApi");

        ApiResponse r = api.apply(ApiRequest.of("GET", "/api/stream/status/short"));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.bodyText()).contains("invalid_session_id");
        assertThat(r.header("Access-Control-Allow-Origin")).hasValue("*");
    }
}
