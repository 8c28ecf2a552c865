package ai.lipsync.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app with real espeak-ng and {@code lipsync.api.max-speech-duration} at one second: a text that
 * takes longer to say ends its session in {@code speech_too_long} before any segment, and the app
 * goes on serving.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "lipsync.api.max-speech-duration=1s"})
class SpeechLimitHttpTest extends RunningAppTest {

    @Test
    void speechLongerThanTheLimit_endsInSpeechTooLongNamingTheLimit_withNoStream() throws Exception {
        String id = start(Map.of("text", "Hello there. This sentence takes a few seconds to say.", "lang", "en"))
                .get("session_id").asText();

        JsonNode status = finalStatus(id);

        assertThat(status.get("status").asText()).isEqualTo("error");
        assertThat(status.get("error_code").asText()).isEqualTo("speech_too_long");
        assertThat(status.get("error").asText()).containsPattern("lasts \\d+\\.\\d s, longer than the 1 s");
        assertThat(status.get("playlist_ready").asBoolean()).isFalse();
        assertThat(get("/stream/" + id + "/playlist.m3u8").statusCode()).isEqualTo(404);
        assertThat(root.resolve("static/hls").resolve(id)).doesNotExist();

        String shortId = start(Map.of("text", "Hi.", "lang", "en")).get("session_id").asText();
        assertThat(finalStatus(shortId).get("status").asText()).as("a short text still renders").isEqualTo("ready");
    }

    private JsonNode finalStatus(String id) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        JsonNode body;
        do {
            Thread.sleep(100);
            HttpResponse<byte[]> r = get("/api/stream/status/" + id);
            assertThat(r.statusCode()).isEqualTo(200);
            body = JSON.readTree(r.body());
        } while (!body.get("status").asText().matches("ready|error") && System.nanoTime() < deadline);
        return body;
    }
}
