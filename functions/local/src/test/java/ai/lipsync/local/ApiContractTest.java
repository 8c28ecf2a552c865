package ai.lipsync.local;

import ai.lipsync.api.ApiJson;
import ai.lipsync.api.ApiRouter;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.oas.models.OpenAPI;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract can fail: answers the document does not allow, and a router and document that disagree,
 * are caught by {@link ApiContract} as the contract test configures it. Each case starts from an answer
 * that passes and changes one thing.
 */
class ApiContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ID = "Qx3Qx3Qx3Qx3Qx3Qx3Qx3Q";
    private static final String STATUS = "/api/stream/status/" + ID;
    private final ApiContract contract = ApiContract.shipped();

    private static ObjectNode status() {
        ObjectNode s = JSON.createObjectNode();
        s.put("session_id", ID).put("status", "processing").put("progress", 45).put("playlist_ready", true)
                .put("playlist_url", "/stream/" + ID + "/playlist.m3u8").putNull("error").putNull("error_code")
                .put("engine", "weights-free").put("lang", "ru").put("avatar", "default")
                .put("created_at", "2026-01-01T10:00:00Z").put("updated_at", "2026-01-01T10:00:01Z");
        return s;
    }

    private static Map<String, List<String>> headers(String... namesAndValues) {
        Map<String, List<String>> h = new LinkedHashMap<>();
        h.put("Content-Type", List.of("application/json"));
        h.put("Access-Control-Allow-Origin", List.of("*"));
        for (int i = 0; i < namesAndValues.length; i += 2) {
            h.put(namesAndValues[i], List.of(namesAndValues[i + 1]));
        }
        return h;
    }

    private ValidationReport statusAnswer(int code, Map<String, List<String>> headers, Object body) throws Exception {
        return contract.answer("GET", STATUS, new ApiContract.Answer(STATUS, code, headers, JSON.writeValueAsBytes(body)));
    }

    private static String errors(ValidationReport report) {
        return ApiContract.describe(report);
    }

    @Test
    void theUnchangedAnswer_passes() throws Exception {
        ValidationReport report = statusAnswer(200, headers(), status());

        assertThat(report.hasErrors()).as(errors(report)).isFalse();
    }

    @Test
    void anUndocumentedField_isRejected() throws Exception {
        ValidationReport report = statusAnswer(200, headers(), status().put("eta_seconds", 3));

        assertThat(report.hasErrors()).isTrue();
        assertThat(errors(report)).contains("eta_seconds");
    }

    @Test
    void aMissingRequiredField_isRejected() throws Exception {
        ObjectNode body = status();
        body.remove("playlist_ready");

        assertThat(statusAnswer(200, headers(), body).hasErrors()).isTrue();
    }

    @Test
    void aValueOutsideItsSchema_isRejected() throws Exception {
        assertThat(statusAnswer(200, headers(), status().put("status", "done")).hasErrors()).isTrue();
        assertThat(statusAnswer(200, headers(), status().put("progress", 101)).hasErrors()).isTrue();
        assertThat(statusAnswer(200, headers(), status().put("session_id", "short")).hasErrors()).isTrue();
    }

    @Test
    void anUndocumentedStatus_isRejected() throws Exception {
        ValidationReport report = statusAnswer(409, headers(), Map.of("error", "session_not_found", "message", "No."));

        assertThat(report.hasErrors()).isTrue();
        assertThat(report.getMessages()).anySatisfy(m -> assertThat(m.getKey()).isEqualTo("validation.response.status.unknown"));
    }

    @Test
    void aMissingRequiredHeader_isRejected() throws Exception {
        Map<String, List<String>> headers = headers();
        headers.remove("Access-Control-Allow-Origin");

        ValidationReport report = statusAnswer(200, headers, status());

        assertThat(report.getMessages()).anySatisfy(m -> assertThat(m.getKey()).isEqualTo("validation.response.header.missing"));
    }

    @Test
    void anUndocumentedContentType_isRejected() throws Exception {
        ValidationReport report = statusAnswer(200, headers("Content-Type", "text/html"), status());

        assertThat(report.getMessages()).anySatisfy(m ->
                assertThat(m.getKey()).isEqualTo("validation.response.contentType.notAllowed"));
    }

    @Test
    void anErrorWithAnUnknownCodeOrAnExtraField_isRejected() throws Exception {
        Map<String, Object> good = Map.of("error", "session_not_found", "message", "There is no session with this id.");
        assertThat(statusAnswer(404, headers(), good).hasErrors()).as(errors(statusAnswer(404, headers(), good))).isFalse();

        assertThat(statusAnswer(404, headers(), Map.of("error", "gone", "message", "Gone.")).hasErrors()).isTrue();
        assertThat(statusAnswer(404, headers(), Map.of("error", "session_not_found", "message", "No.", "trace", "at x"))
                .hasErrors()).isTrue();
        assertThat(statusAnswer(429, headers(), Map.of("error", "queue_full", "message", "Full."))
                .hasErrors()).as("a 429 without Retry-After").isTrue();
    }

    @Test
    void a405WithoutAllow_isRejected() {
        byte[] body = "{\"error\":\"method_not_allowed\",\"message\":\"PUT is not allowed.\"}".getBytes(StandardCharsets.UTF_8);

        assertThat(contract.generic("MethodNotAllowed", new ApiContract.Answer("/api/stream/start", 405,
                headers("Allow", "POST, OPTIONS"), body)).hasErrors()).isFalse();
        assertThat(contract.generic("MethodNotAllowed", new ApiContract.Answer("/api/stream/start", 405,
                headers(), body)).hasErrors()).isTrue();
    }

    /** A route the document lacks, and an operation the router lacks, are both reported. */
    @Test
    void aRouterAndDocumentThatDisagree_areReported() {
        ApiRouter router = new ApiRouter(r -> null, r -> null, r -> null, r -> null, ApiJson.create());
        assertThat(contract.disagreements(router.routeTable())).isEmpty();

        OpenAPI lacking = ApiContract.shipped().api();
        lacking.getPaths().remove("/api/avatars/{id}");
        lacking.getPaths().get("/api/stream/start").setPut(lacking.getPaths().get("/api/stream/start").getPost());

        assertThat(ApiContract.of(lacking).disagreements(router.routeTable())).containsExactlyInAnyOrder(
                "routed but not documented: GET /api/avatars/{id}",
                "routed but not documented: HEAD /api/avatars/{id}",
                "routed but not documented: OPTIONS /api/avatars/{id}",
                "documented but not routed: PUT /api/stream/start");
    }
}
