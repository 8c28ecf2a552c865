package ai.lipsync.local.browser;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped player page (static/player.html with the vendored hls.js) in headless Chromium,
 * on one origin, playing an ffmpeg-made fMP4 stream from another origin that grows the way the
 * service publishes it: an EVENT playlist, one 1 s segment at a time, then ENDLIST.
 * Independent of the pipeline's speed, so the growing-playlist path is always exercised.
 */
class GeneratedStreamBrowserPlaybackTest {
    private static final int STREAM_SECONDS = 5;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    static Path streamDir;

    private static BrowserPlayback browser;
    private static String vodPlaylist;

    @BeforeAll
    static void generateStream() throws Exception {
        browser = BrowserPlayback.requireTools();
        vodPlaylist = Files.readString(GeneratedStreams.writeTestStream(streamDir, STREAM_SECONDS));
    }

    @Test
    void playerPage_onAnotherOrigin_playsGrowingEventPlaylistFromStartToEnd() throws Exception {
        // One segment at first, then one per 1.2 s, slower than real time as on a CPU-only host:
        // the player starts before the stream is complete and catches up with its end repeatedly.
        GrowingEventPlaylist playlist =
                new GrowingEventPlaylist(vodPlaylist, 1, Duration.ofMillis(1200), System::nanoTime);
        try (TestHttpServer stream = startStreamServer(playlist, true);
             TestHttpServer pages = TestHttpServer.start(false).serveDirectory("/", staticRoot())) {
            String playlistUrl = stream.origin() + "/stream/test/playlist.m3u8";

            PlaybackReport report = browser.playAtFullFrameRate(PlaybackRequest.player(
                    "generated-stream-cross-origin", playerPage(pages, playlistUrl), 2.5, TIMEOUT), playlist::restart);

            PlaybackAssertions.assertPlayedToTheEnd(report);
            assertThat(report.ended().duration()).as("the whole stream").isGreaterThan(STREAM_SECONDS - 0.1);
            assertThat(report.ended().videoWidth()).isEqualTo(GeneratedStreams.WIDTH);
            assertThat(report.ended().videoHeight()).isEqualTo(GeneratedStreams.HEIGHT);
            // hls.js fetched the stream cross-origin, so the browser checked CORS on every file.
            assertThat(stream.requests())
                    .filteredOn(request -> request.path().endsWith(".m4s"))
                    .hasSizeGreaterThanOrEqualTo(playlist.segmentCount())
                    .allSatisfy(request -> assertThat(request.origin()).isEqualTo(pages.origin()));
            // The playlist was fetched again while it grew.
            assertThat(stream.requests()).filteredOn(request -> request.path().endsWith(".m3u8"))
                    .hasSizeGreaterThan(1);
        }
    }

    @Test
    void playerPage_streamWithoutCorsHeaders_showsFatalNetworkError() throws Exception {
        GrowingEventPlaylist playlist =
                new GrowingEventPlaylist(vodPlaylist, 100, Duration.ofSeconds(1), System::nanoTime);
        try (TestHttpServer stream = startStreamServer(playlist, false);
             TestHttpServer pages = TestHttpServer.start(false).serveDirectory("/", staticRoot())) {
            String playlistUrl = stream.origin() + "/stream/test/playlist.m3u8";

            PlaybackReport report = browser.play(PlaybackRequest.player("generated-stream-no-cors",
                    playerPage(pages, playlistUrl), 1.0, TIMEOUT));

            assertThat(report.fatalHlsErrors()).as("fatal hls.js errors").isNotEmpty();
            assertThat(report.fatalHlsErrors().get(0).type()).isEqualTo("networkError");
            assertThat(report.errorText()).startsWith("Playback failed: networkError");
            assertThat(report.ended()).as("no playback").isNull();
        }
    }

    private static TestHttpServer startStreamServer(GrowingEventPlaylist playlist, boolean cors) throws Exception {
        return TestHttpServer.start(cors).serve("/stream/test/", file -> {
            if (file.equals("playlist.m3u8")) {
                return playlist.render().getBytes(StandardCharsets.UTF_8);
            }
            Path path = streamDir.resolve(file).normalize();
            if (!path.startsWith(streamDir) || !Files.isRegularFile(path) || !playlist.isPublished(file)) {
                return null;
            }
            try {
                return Files.readAllBytes(path);
            } catch (java.io.IOException e) {
                return null;
            }
        });
    }

    private static String playerPage(TestHttpServer pages, String playlistUrl) {
        return pages.origin() + "/player.html?src=" + URLEncoder.encode(playlistUrl, StandardCharsets.UTF_8);
    }

    /** The static resources of the app as built into target/classes. */
    static Path staticRoot() throws URISyntaxException {
        URL player = GeneratedStreamBrowserPlaybackTest.class.getResource("/static/player.html");
        return Path.of(Objects.requireNonNull(player, "static/player.html is not on the test classpath").toURI())
                .getParent();
    }
}
