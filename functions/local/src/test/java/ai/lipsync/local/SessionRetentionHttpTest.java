package ai.lipsync.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A finished session expires after the configured retention: status 404, its files gone. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "lipsync.retention.keep=1s", "lipsync.retention.sweep-interval=200ms"})
class SessionRetentionHttpTest extends RunningAppTest {

    @Test
    void finishedSession_afterTheRetention_isGoneWithItsFiles() throws Exception {
        String id = start(Map.of("text", "Hi.", "lang", "en")).get("session_id").asText();
        String statusUrl = "/api/stream/status/" + id;

        long deadline = System.nanoTime() + 120_000_000_000L;
        boolean sawReady = false;
        int status = 200;
        while (System.nanoTime() < deadline) {
            HttpResponse<byte[]> r = get(statusUrl);
            status = r.statusCode();
            if (status == 404) {
                break;
            }
            JsonNode body = JSON.readTree(r.body());
            sawReady |= body.get("status").asText().equals("ready");
            Thread.sleep(100);
        }

        assertThat(sawReady).as("the session was ready before it expired").isTrue();
        assertThat(status).as("status of an expired session").isEqualTo(404);
        assertThat(get("/stream/" + id + "/playlist.m3u8").statusCode()).isEqualTo(404);
        assertThat(root.resolve("static/hls").resolve(id)).doesNotExist();
        assertThat(root.resolve("data/audio").resolve(id)).doesNotExist();
    }

}
