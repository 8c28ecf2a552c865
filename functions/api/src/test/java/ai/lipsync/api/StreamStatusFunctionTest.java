package ai.lipsync.api;

import ai.lipsync.session.ErrorCode;
import ai.lipsync.session.Session;
import ai.lipsync.session.SessionIds;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StreamStatusFunctionTest {
    private final ApiFixture api = new ApiFixture();

    private ApiResponse status(String id) {
        return api.status.apply(ApiRequest.of("GET", "/api/stream/status/" + id).withPathParameters(Map.of("id", id)));
    }

    @Test
    void apply_forProcessingSession_reportsEveryField() throws IOException {
        Session s = api.session();
        api.sessions.update(s.id(), x -> x.processing("weights-free", ApiFixture.NOW).withProgress(45, ApiFixture.NOW));

        ApiResponse r = status(s.id());

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Cache-Control")).hasValue("no-store");
        JsonNode b = new ObjectMapper().readTree(r.body());
        assertThat(b.get("session_id").asText()).isEqualTo(s.id());
        assertThat(b.get("status").asText()).isEqualTo("processing");
        assertThat(b.get("progress").asInt()).isEqualTo(45);
        assertThat(b.get("playlist_ready").asBoolean()).isFalse();
        assertThat(b.get("error").isNull()).isTrue();
        assertThat(b.get("error_code").isNull()).isTrue();
        assertThat(b.get("engine").asText()).isEqualTo("weights-free");
        assertThat(b.get("created_at").asText()).isEqualTo("2026-11-25T12:00:00Z");
        assertThat(b.has("updated_at")).isTrue();
    }

    @Test
    void apply_forFailedSession_reportsCodeAndMessage() throws IOException {
        Session s = api.session();
        api.sessions.update(s.id(), x -> x.failed(ErrorCode.TTS_TIMEOUT, "The speech service did not answer within 10 s.",
                ApiFixture.NOW));

        JsonNode b = new ObjectMapper().readTree(status(s.id()).body());

        assertThat(b.get("status").asText()).isEqualTo("error");
        assertThat(b.get("error_code").asText()).isEqualTo("tts_timeout");
        assertThat(b.get("error").asText()).isEqualTo("The speech service did not answer within 10 s.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "AAAAAAAAAAAAAAAAAAAAA!", "..", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})
    void apply_withMalformedId_answers400(String id) throws IOException {
        ApiResponse r = status(id);

        assertThat(r.status()).isEqualTo(400);
        assertThat(new ObjectMapper().readTree(r.body()).get("error").asText()).isEqualTo("invalid_session_id");
    }

    @Test
    void apply_withUnknownId_answers404() throws IOException {
        ApiResponse r = status(SessionIds.create().next());

        assertThat(r.status()).isEqualTo(404);
        assertThat(new ObjectMapper().readTree(r.body()).get("error").asText()).isEqualTo("session_not_found");
    }
}
