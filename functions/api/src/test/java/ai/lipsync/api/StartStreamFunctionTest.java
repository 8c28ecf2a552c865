package ai.lipsync.api;

import ai.lipsync.session.QueueFullException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The start function on its own: built by hand and called through apply. */
class StartStreamFunctionTest {
    private final ApiFixture api = new ApiFixture();

    private static JsonNode json(ApiResponse r) throws IOException {
        return new ObjectMapper().readTree(r.body());
    }

    @Test
    void apply_withTextAndLang_answers201WithIdsAndQueuesTheJob() throws IOException {
        ApiResponse r = api.start.apply(ApiFixture.post("/api/stream/start", "{\"text\":\"Привет!\",\"lang\":\"ru\"}"));

        assertThat(r.status()).isEqualTo(201);
        JsonNode body = json(r);
        String id = body.get("session_id").asText();
        assertThat(body.get("playlist_url").asText()).isEqualTo("/stream/" + id + "/playlist.m3u8");
        assertThat(body.get("status_url").asText()).isEqualTo("/api/stream/status/" + id);
        assertThat(r.header("Location")).hasValue("/api/stream/status/" + id);
        assertThat(r.header("Content-Type")).hasValue("application/json");
        assertThat(api.jobs).singleElement().satisfies(j -> {
            assertThat(j.sessionId()).isEqualTo(id);
            assertThat(j.text()).isEqualTo("Привет!");
        });
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1} {2}")
    @CsvSource(delimiter = '|', value = {
            "''                                  | 400 | invalid_json",
            "'{not json'                         | 400 | invalid_json",
            "'[\"text\",\"ru\"]'                 | 400 | invalid_json",
            "'\"just a string\"'                 | 400 | invalid_json",
            "'{\"text\":\"a\",\"text\":\"b\",\"lang\":\"ru\"}' | 400 | invalid_json",
            "'{\"lang\":\"ru\"}'                 | 400 | text_required",
            "'{\"text\":null,\"lang\":\"ru\"}'   | 400 | text_required",
            "'{\"text\":\"   \",\"lang\":\"ru\"}'| 400 | text_required",
            "'{\"text\":42,\"lang\":\"ru\"}'     | 400 | invalid_field",
            "'{\"text\":[\"a\"],\"lang\":\"ru\"}'| 400 | invalid_field",
            "'{\"text\":\"123456789012345678901\",\"lang\":\"ru\"}' | 400 | text_too_long",
            "'{\"text\":\"hi\"}'                 | 400 | lang_required",
            "'{\"text\":\"hi\",\"lang\":\"fr\"}' | 400 | unsupported_lang",
            "'{\"text\":\"hi\",\"lang\":7}'      | 400 | invalid_field",
            "'{\"text\":\"hi\",\"lang\":\"en\",\"avatar\":\"nobody\"}' | 400 | unknown_avatar",
            "'{\"text\":\"hi\",\"lang\":\"en\",\"avatar\":\"../../x\"}' | 400 | invalid_avatar"})
    void apply_withBadBody_answers4xxWithCodeAndSentence(String body, int status, String code) throws IOException {
        ApiResponse r = api.start.apply(ApiFixture.post("/api/stream/start", body));

        assertThat(r.status()).isEqualTo(status);
        JsonNode json = json(r);
        assertThat(json.get("error").asText()).isEqualTo(code);
        assertThat(json.get("message").asText()).endsWith(".").doesNotContain("Exception");
        assertThat(api.jobs).isEmpty();
    }

    @Test
    void apply_withBodyOverTheLimit_answers413() throws IOException {
        String huge = "{\"text\":\"" + "a".repeat(api.start.maxBodyBytes()) + "\",\"lang\":\"en\"}";

        ApiResponse r = api.start.apply(ApiFixture.post("/api/stream/start", huge));

        assertThat(r.status()).isEqualTo(413);
        assertThat(json(r).get("error").asText()).isEqualTo("body_too_large");
    }

    @Test
    void apply_whenQueueFull_answers429WithRetryAfter() throws IOException {
        ApiFixture full = new ApiFixture(job -> {
            throw new QueueFullException(3, Duration.ofSeconds(15));
        });

        ApiResponse r = full.start.apply(ApiFixture.post("/api/stream/start", "{\"text\":\"hi\",\"lang\":\"en\"}"));

        assertThat(r.status()).isEqualTo(429);
        assertThat(r.header("Retry-After")).hasValue("15");
        assertThat(json(r).get("error").asText()).isEqualTo("queue_full");
    }
}
