package ai.lipsync.local.browser;

import ai.lipsync.local.TestDirectories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A generation that fails after the session started: the app's TTS provider points at a real
 * local HTTP server that knows no speech endpoint, and the demo page, polling the status, shows
 * the session's error message and code instead of a player.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DemoPageSessionErrorBrowserTest {
    private static final TestHttpServer BROKEN_TTS = startBrokenTts();

    @TempDir
    static Path root;

    private static BrowserPlayback browser;

    @LocalServerPort
    private int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("lipsync.tts.provider", () -> "openai");
        registry.add("lipsync.tts.url", BROKEN_TTS::origin);
        registry.add("lipsync.tts.key", () -> "test-key-not-secret");
        registry.add("lipsync.tts.timeout", () -> "5s");
        TestDirectories.register(registry, root);
    }

    @BeforeAll
    static void tools() {
        browser = BrowserPlayback.requireTools();
    }

    @AfterAll
    static void stopTts() {
        BROKEN_TTS.close();
    }

    @Test
    void demoPage_ttsFailsDuringGeneration_showsTheSessionErrorAndCode() throws Exception {
        PlaybackReport report = browser.play(PlaybackRequest.demoExpectingError("demo-page-tts-failure",
                "http://localhost:" + port + "/", "Hello there!", "en", null, Duration.ofSeconds(60)));

        assertThat(report.failure()).isNull();
        assertThat(report.sessionId()).as("the session was created before it failed").isNotBlank();
        assertThat(report.statusText()).isEqualTo("error");
        assertThat(report.errorText()).contains("(tts_failed)");
        assertThat(report.ended()).isNull();
        // The request reached the speech server: the failure is the provider's, not the page's.
        assertThat(BROKEN_TTS.requests()).isNotEmpty();
    }

    /** A speech server that has nothing: every request is recorded and answered 404. */
    private static TestHttpServer startBrokenTts() {
        try {
            return TestHttpServer.start(false).serve("/", path -> null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
