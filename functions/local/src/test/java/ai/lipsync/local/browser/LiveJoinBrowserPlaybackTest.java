package ai.lipsync.local.browser;

import ai.lipsync.hls.HlsPlaylist;
import ai.lipsync.local.TestDirectories;
import ai.lipsync.storage.FileSystemStreamStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A viewer who opens a stream while it is still being generated sees it from its first second:
 * the real app generates a long answer, held after its fourth segment is listed; a page with the
 * vendored hls.js at its default configuration (not the service's player settings) joins it then,
 * in headless Chromium on another origin. Stock hls.js starts a live playlist near its live edge
 * unless the playlist says otherwise ({@code #EXT-X-START}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LiveJoinBrowserPlaybackTest {
    /** Segments listed when the player joins: hls.js by default would start three target durations before their end. */
    private static final int JOIN_AFTER_SEGMENTS = 4;
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    /** Long enough for Chromium to start on a loaded machine; then the generation goes on regardless. */
    private static final Duration HOLD_LIMIT = Duration.ofMinutes(2);
    /** About fifteen seconds of speech: several segments more than are listed at the join. */
    private static final String LONG_ANSWER = "Hello! I am your virtual assistant, and this answer is long on purpose. "
            + "It keeps going for many seconds, so that a viewer can join it while it is still being made. "
            + "Whoever joins late must still hear these words from the very first one, not from the middle.";

    @TempDir
    static Path root;

    private static BrowserPlayback browser;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    private int port;

    @Autowired
    private HeldStreamStore store;

    @TestConfiguration(proxyBeanMethods = false)
    static class HoldAfterTheJoinPoint {
        @Bean
        @Primary
        HeldStreamStore heldStreamStore(FileSystemStreamStore files) {
            return new HeldStreamStore(files, JOIN_AFTER_SEGMENTS, HOLD_LIMIT);
        }
    }

    @DynamicPropertySource
    static void directories(DynamicPropertyRegistry registry) {
        TestDirectories.register(registry, root);
    }

    @BeforeAll
    static void tools() {
        browser = BrowserPlayback.requireTools();
    }

    @Test
    void stockHlsJs_joiningAfterTheFourthSegment_playsFromTheFirstSecond() throws Exception {
        JsonNode session = start(LONG_ANSWER, "en");
        String playlistUrl = appOrigin() + session.path("playlist_url").asText();
        assertThat(store.awaitHold(TIMEOUT)).as("generation held after %d segments", JOIN_AFTER_SEGMENTS).isTrue();
        HttpResponse<String> joined = http.send(HttpRequest.newBuilder(URI.create(playlistUrl)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(joined.statusCode()).as("playlist %s: %s", playlistUrl, joined.body()).isEqualTo(200);
        List<HlsPlaylist.Segment> listedAtJoin = HlsPlaylist.parseSegments(joined.body());
        assertThat(listedAtJoin).as("segments listed when the player joins").hasSize(JOIN_AFTER_SEGMENTS);
        assertThat(joined.body()).as("a stream still being generated").doesNotContain("#EXT-X-ENDLIST");

        try (TestHttpServer pages = TestHttpServer.start(false)
                .serveDirectory("/", stockPlayerRoot())
                .serveDirectory("/vendor/", GeneratedStreamBrowserPlaybackTest.staticRoot().resolve("vendor"))) {
            String page = pages.origin() + "/stock-hls.html?src=" + URLEncoder.encode(playlistUrl, StandardCharsets.UTF_8);

            PlaybackReport report = browser.play(PlaybackRequest.player("stock-hls-live-join", page, 1.5, TIMEOUT));

            assertThat(store.askedWhileHeld()).as("the first segment the player asked for while %d were listed",
                    JOIN_AFTER_SEGMENTS).contains(listedAtJoin.get(0).uri());
            assertThat(report.loadedFragments()).as("fragments hls.js loaded").isNotEmpty();
            assertThat(report.loadedFragments().get(0).sn()).as("media sequence number of the first fragment loaded")
                    .isZero();
            assertThat(report.firstPlaying()).as("the video played").isNotNull();
            assertThat(report.firstPlaying().t()).as("currentTime when playback began").isLessThan(1.0);
            PlaybackAssertions.assertPlayedEverySecond(report);
            double secondsAtJoin = listedAtJoin.stream().mapToDouble(HlsPlaylist.Segment::durationSeconds).sum();
            assertThat(report.ended().duration()).as("the whole answer, longer than what was listed at the join")
                    .isGreaterThan(secondsAtJoin + 1);
        }
    }

    private JsonNode start(String text, String lang) throws Exception {
        HttpResponse<String> started = http.send(HttpRequest.newBuilder(URI.create(appOrigin() + "/api/stream/start"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                json.writeValueAsString(Map.of("text", text, "lang", lang)))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        return json.readTree(started.body());
    }

    private String appOrigin() {
        return "http://localhost:" + port;
    }

    /** The stock hls.js page of the test resources, as built into target/test-classes. */
    private static Path stockPlayerRoot() throws URISyntaxException {
        URL page = LiveJoinBrowserPlaybackTest.class.getResource("/browser-pages/stock-hls.html");
        return Path.of(Objects.requireNonNull(page, "browser-pages/stock-hls.html is not on the test classpath").toURI())
                .getParent();
    }
}
