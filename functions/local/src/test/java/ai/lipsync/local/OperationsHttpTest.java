package ai.lipsync.local;

import ai.lipsync.pipeline.GenerationMetrics;
import ai.lipsync.session.Language;
import ai.lipsync.settings.LipsyncSettings;
import ai.lipsync.tts.text.UtteranceChunker;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.ActiveProfiles;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The running app (weights-free engine, real espeak-ng, the json-logs profile) over HTTP: health probes, the
 * meters after one ready and one failed session (speech over a 3 s cap), and the session id as a
 * field of the JSON log lines.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "lipsync.api.max-speech-duration=3s", "logging.config=classpath:structured-logback-test.xml"})
@ActiveProfiles("json-logs")
@ExtendWith(OutputCaptureExtension.class)
class OperationsHttpTest extends RunningAppTest {
    private static final Pattern EXTINF = Pattern.compile("(?m)^#EXTINF:([0-9.]+),");
    private static final Pattern SEGMENT = Pattern.compile("(?m)^segment_\\d+\\.m4s$");

    /**
     * Logback is set up once per JVM by the first Spring context; cached contexts of other test classes
     * may have done it already. Cleaning up makes this context set it up from its own properties.
     */
    @BeforeAll
    @AfterAll
    static void freshLoggingSetup() {
        LoggingSystem.get(OperationsHttpTest.class.getClassLoader()).cleanUp();
    }

    @Test
    void probesMetricsAndJsonLogs_afterAReadyAndAFailedSession(CapturedOutput output) throws Exception {
        assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        JsonNode readiness = awaitReadiness();
        assertThat(readiness.get("status").asText()).isEqualTo("UP");
        assertThat(readiness.at("/components/generation/details/warmed_up").toString())
                .contains("encoder probe", "default avatar");
        assertThat(readiness.at("/components/diskSpace/status").asText()).isEqualTo("UP");
        JsonNode health = JSON.readTree(get("/actuator/health").body());
        assertThat(health.at("/components/diskSpace/details/threshold").asLong()).isPositive();

        String ready = start(Map.of("text", "Hello there.", "lang", "en")).get("session_id").asText();
        assertThat(finalStatus(ready).get("status").asText()).isEqualTo("ready");
        String playlist = new String(get("/stream/" + ready + "/playlist.m3u8").body(), StandardCharsets.UTF_8);
        long segments = SEGMENT.matcher(playlist).results().count();
        double seconds = EXTINF.matcher(playlist).results().mapToDouble(m -> Double.parseDouble(m.group(1))).sum();

        PrometheusText afterReady = scrape();
        assertThat(afterReady.value("lipsync_sessions_total", Map.of("status", "ready", "error_code", "none")))
                .contains(1.0);
        assertThat(afterReady.value("lipsync_segments_published_total")).isEqualTo(segments).isPositive();
        assertThat(afterReady.value("lipsync_frames_total")).isEqualTo(Math.round(seconds * 25));
        assertThat(afterReady.value("lipsync_time_to_first_segment_seconds_count")).isEqualTo(1);
        assertThat(afterReady.value("lipsync_time_to_first_segment_seconds_bucket", Map.of("le", "+Inf")))
                .contains(1.0);
        assertThat(afterReady.value("lipsync_tts_seconds_count", "provider", "espeak-ng")).isEqualTo(1);
        for (GenerationMetrics.Step step : GenerationMetrics.Step.values()) {
            assertThat(afterReady.value("lipsync_stage_seconds_count", "stage", step.label())).as(step.label())
                    .isEqualTo(1);
            assertThat(afterReady.value("lipsync_stage_seconds_sum", "stage", step.label())).as(step.label())
                    .isPositive();
        }
        assertThat(afterReady.value("lipsync_queue_depth")).isZero();

        String tooLong = "Hello there. This sentence takes quite a few seconds to say, longer than the cap allows.";
        String failed = start(Map.of("text", tooLong, "lang", "en")).get("session_id").asText();
        assertThat(finalStatus(failed).get("error_code").asText()).isEqualTo("speech_too_long");

        PrometheusText afterError = scrape();
        assertThat(afterError.value("lipsync_sessions_total",
                Map.of("status", "error", "error_code", "speech_too_long"))).contains(1.0);
        assertThat(afterError.value("lipsync_sessions_total", Map.of("status", "ready"))).contains(1.0);
        // One request per utterance chunk, until the speech passed the cap: at least the first, at most all.
        int chunks = UtteranceChunker.from(LipsyncSettings.defaults().tts()).split(tooLong, Language.EN).size();
        assertThat(afterError.value("lipsync_tts_seconds_count", "provider", "espeak-ng")).isBetween(2.0, 1.0 + chunks);
        assertThat(afterError.value("lipsync_time_to_first_segment_seconds_count")).isEqualTo(1);

        List<JsonNode> sessionLines = jsonLines(output.getOut()).stream()
                .filter(line -> ready.equals(line.path("sessionId").asText())).toList();
        assertThat(sessionLines).as("JSON log lines carrying sessionId=" + ready).isNotEmpty();
        assertThat(sessionLines).anySatisfy(line -> assertThat(line.path("message").asText())
                .contains("generation started"));
    }

    private PrometheusText scrape() throws Exception {
        HttpResponse<byte[]> r = get("/actuator/prometheus");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
        return new PrometheusText(new String(r.body(), StandardCharsets.UTF_8));
    }

    /** Readiness turns UP after the warm-up steps, which run after the server has started. */
    private JsonNode awaitReadiness() throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        HttpResponse<byte[]> r;
        do {
            r = get("/actuator/health/readiness");
            if (r.statusCode() == 200) {
                break;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return JSON.readTree(r.body());
    }

    private JsonNode finalStatus(String id) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        JsonNode body;
        do {
            Thread.sleep(100);
            body = JSON.readTree(get("/api/stream/status/" + id).body());
        } while (!body.get("status").asText().matches("ready|error") && System.nanoTime() < deadline);
        return body;
    }

    private static List<JsonNode> jsonLines(String out) {
        return Arrays.stream(out.split("\n")).filter(line -> line.startsWith("{")).map(line -> {
            try {
                return JSON.readTree(line);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + line, e);
            }
        }).toList();
    }
}
