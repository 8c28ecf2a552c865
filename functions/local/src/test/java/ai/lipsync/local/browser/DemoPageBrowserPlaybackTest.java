package ai.lipsync.local.browser;

import ai.lipsync.local.TestDirectories;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole service as a user meets it: the real app on a random port, its demo page in
 * headless Chromium, text typed and Start clicked, the generated answer played to its end by
 * hls.js while the pipeline is still publishing it; the same page on another origin driving the
 * service through CORS; the stand-alone player page on another origin; the API's refusal
 * shown on the page; and a long answer stopped with the page's Stop button.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DemoPageBrowserPlaybackTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final String ENGLISH = "Hello! I am your virtual assistant. How can I help you today?";
    private static final String RUSSIAN = "Здравствуйте! Я ваш виртуальный помощник.";
    private static final String KAZAKH = "Сәлеметсіз бе! Мен сіздің виртуалды көмекшіңізбін.";
    /** About two minutes of speech: still being generated once the first second has played, even on a fast CPU. */
    private static final String LONG_ANSWER = ("This answer goes on for a long while, so that the person listening"
            + " has every reason to stop it before the avatar reaches the end of it. ").repeat(12).strip();
    /** Media time at which Stop is clicked: playback has begun. */
    private static final double STOP_AT_SECONDS = 0.5;

    @TempDir
    static Path root;

    private static BrowserPlayback browser;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    private int port;

    @DynamicPropertySource
    static void directories(DynamicPropertyRegistry registry) {
        TestDirectories.register(registry, root);
    }

    @BeforeAll
    static void tools() {
        browser = BrowserPlayback.requireTools();
    }

    @Test
    void demoPage_typedTextAndStart_playsTheAnswerToTheEnd() throws Exception {
        PlaybackReport report = browser.playAtFullFrameRate(
                PlaybackRequest.demo("demo-page", appOrigin() + "/", ENGLISH, "en", 1.5, TIMEOUT));

        PlaybackAssertions.assertPlayedToTheEnd(report);
        assertThat(report.sessionId()).as("session started by the page").isNotBlank();
        assertThat(report.ended().duration()).as("seconds of speech").isGreaterThan(1.0);
        JsonNode status = status(report.sessionId());
        assertThat(status.path("status").asText()).isEqualTo("ready");
        assertThat(status.path("progress").asInt()).isEqualTo(100);
        assertThat(report.controlsOnLoad().stop().usable()).as("Stop before any session").isFalse();
        assertThat(report.controlsAtEnd().stop().usable()).as("Stop once the answer is ready").isFalse();
        assertThat(report.controlsAtEnd().start().usable()).as("Start once the answer is ready").isTrue();
    }

    @Test
    void demoPage_stopWhilePlaying_cancelsAndPlaysWhatWasPublished() throws Exception {
        PlaybackReport report = browser.play(PlaybackRequest.demoStopped(
                "demo-page-stop", appOrigin() + "/", LONG_ANSWER, "en", STOP_AT_SECONDS, TIMEOUT));

        assertThat(report.controlsOnLoad().stop().usable()).as("Stop before any session").isFalse();
        assertThat(report.stop()).as("Stop reached for once playback began").isNotNull();
        assertThat(report.stop().before().status()).as("page status when Stop was clicked").isEqualTo("processing");
        assertThat(report.stop().before().stop().usable()).as("Stop while the answer is generated").isTrue();
        assertThat(report.stop().clicked()).isTrue();

        // The page: the session shown as cancelled, Stop no longer offered, Start offered again, no error.
        assertThat(report.statusText()).as("page status at the end").isEqualTo("cancelled");
        assertThat(report.controlsAtEnd().stop().usable()).as("Stop after the cancel").isFalse();
        assertThat(report.controlsAtEnd().start().usable()).as("Start after the cancel").isTrue();
        assertThat(report.httpErrors()).as("failed requests (the DELETE among them)").isEmpty();
        PlaybackAssertions.assertPlayedEverySecond(report);

        // The service: cancelled before the end, its playlist closed, and the player played all it lists.
        JsonNode status = status(report.sessionId());
        assertThat(status.path("status").asText()).isEqualTo("cancelled");
        assertThat(status.path("progress").asInt()).as("progress of a stopped answer").isLessThan(100);
        PlaybackAssertions.assertPlayedAllListed(report, playlist(status.path("playlist_url").asText()));
    }

    @Test
    void demoPage_onAnotherOrigin_drivesTheServiceThroughCors() throws Exception {
        try (TestHttpServer pages = TestHttpServer.start(false)
                .serveDirectory("/", GeneratedStreamBrowserPlaybackTest.staticRoot())) {
            String page = pages.origin() + "/index.html?api=" + URLEncoder.encode(appOrigin(), StandardCharsets.UTF_8);

            PlaybackReport report = browser.playAtFullFrameRate(
                    PlaybackRequest.demo("demo-page-cross-origin", page, RUSSIAN, "ru", 1.5, TIMEOUT));

            PlaybackAssertions.assertPlayedToTheEnd(report);
            assertThat(status(report.sessionId()).path("status").asText()).isEqualTo("ready");
        }
    }

    @Test
    void playerPage_onAnotherOrigin_playsASessionStartedOverHttp() throws Exception {
        HttpResponse<String> started = http.send(HttpRequest.newBuilder(URI.create(appOrigin() + "/api/stream/start"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                json.writeValueAsString(Map.of("text", KAZAKH, "lang", "kk")))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        JsonNode session = json.readTree(started.body());
        String sessionId = session.path("session_id").asText();
        awaitPlaylistReady(sessionId);

        try (TestHttpServer pages = TestHttpServer.start(false)
                .serveDirectory("/", GeneratedStreamBrowserPlaybackTest.staticRoot())) {
            String playlistUrl = appOrigin() + session.path("playlist_url").asText();
            String page = pages.origin() + "/player.html?src=" + URLEncoder.encode(playlistUrl, StandardCharsets.UTF_8);

            PlaybackReport report = browser.playAtFullFrameRate(
                    PlaybackRequest.player("player-page-cross-origin", page, 1.5, TIMEOUT));

            PlaybackAssertions.assertPlayedToTheEnd(report);
            assertThat(status(sessionId).path("status").asText()).isEqualTo("ready");
        }
    }

    @Test
    void demoPage_unknownAvatar_showsTheServiceErrorMessage() throws Exception {
        PlaybackReport report = browser.play(PlaybackRequest.demoExpectingError("demo-page-unknown-avatar",
                appOrigin() + "/", ENGLISH, "en", "no-such-avatar", Duration.ofSeconds(60)));

        assertThat(report.failure()).isNull();
        assertThat(report.errorText()).startsWith("Could not start: HTTP 400: ").contains("no-such-avatar");
        assertThat(report.statusText()).isEqualTo("error");
        assertThat(report.ended()).isNull();
    }

    private String appOrigin() {
        return "http://localhost:" + port;
    }

    /** The player is opened the way a client would: once the status says the first segment is out. */
    private void awaitPlaylistReady(String sessionId) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        JsonNode status = status(sessionId);
        while (!status.path("playlist_ready").asBoolean() && System.nanoTime() < deadline) {
            assertThat(status.path("status").asText()).as(status.toString()).isNotEqualTo("error");
            Thread.sleep(200);
            status = status(sessionId);
        }
        assertThat(status.path("playlist_ready").asBoolean()).as("playlist ready: %s", status).isTrue();
    }

    private String playlist(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(appOrigin() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("playlist %s: %s", path, response.body()).isEqualTo(200);
        return response.body();
    }

    private JsonNode status(String sessionId) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create(appOrigin() + "/api/stream/status/" + sessionId)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("status of %s: %s", sessionId, response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }
}
