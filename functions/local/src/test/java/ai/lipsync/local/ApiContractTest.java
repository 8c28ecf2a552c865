package ai.lipsync.local;

import ai.lipsync.api.ApiJson;
import ai.lipsync.api.ApiRouter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
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

    private List<String> statusAnswer(int code, Map<String, List<String>> headers, Object body) throws Exception {
        return contract.answer("GET", STATUS, new ApiContract.Answer(STATUS, code, headers, JSON.writeValueAsBytes(body)));
    }

    /** The shipped document is well-formed OpenAPI 3.1 for the reference parser: no unknown or misplaced field. */
    @Test
    void theDocument_parsesCleanlyAsOpenApi31() {
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(
                new String(ai.lipsync.api.ApiDocument.bytes(), StandardCharsets.UTF_8), null, null);

        assertThat(parsed.getMessages()).isNullOrEmpty();
        assertThat(parsed.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
    }

    @Test
    void theUnchangedAnswer_passes() throws Exception {
        assertThat(statusAnswer(200, headers(), status())).isEmpty();
    }

    @Test
    void anUndocumentedField_isRejected() throws Exception {
        assertThat(statusAnswer(200, headers(), status().put("eta_seconds", 3))).anySatisfy(e ->
                assertThat(e).contains("eta_seconds"));
    }

    @Test
    void aMissingRequiredField_isRejected() throws Exception {
        ObjectNode body = status();
        body.remove("playlist_ready");

        assertThat(statusAnswer(200, headers(), body)).isNotEmpty();
    }

    @Test
    void aValueOutsideItsSchema_isRejected() throws Exception {
        assertThat(statusAnswer(200, headers(), status().put("status", "done"))).isNotEmpty();
        assertThat(statusAnswer(200, headers(), status().put("progress", 101))).isNotEmpty();
        assertThat(statusAnswer(200, headers(), status().put("session_id", "short"))).isNotEmpty();
    }

    @Test
    void anUndocumentedStatus_isRejected() throws Exception {
        assertThat(statusAnswer(409, headers(), Map.of("error", "session_not_found", "message", "No.")))
                .anySatisfy(e -> assertThat(e).startsWith("status 409 is not documented"));
    }

    @Test
    void aMissingRequiredHeader_isRejected() throws Exception {
        Map<String, List<String>> headers = headers();
        headers.remove("Access-Control-Allow-Origin");

        assertThat(statusAnswer(200, headers, status())).containsExactly("required header Access-Control-Allow-Origin is missing");
    }

    @Test
    void anUndocumentedContentType_isRejected() throws Exception {
        assertThat(statusAnswer(200, headers("Content-Type", "text/html"), status())).anySatisfy(e ->
                assertThat(e).contains("Content-Type text/html is not one of"));
    }

    @Test
    void anErrorWithAnUnknownCodeOrAnExtraField_isRejected() throws Exception {
        Map<String, Object> good = Map.of("error", "session_not_found", "message", "There is no session with this id.");
        assertThat(statusAnswer(404, headers(), good)).isEmpty();

        assertThat(statusAnswer(404, headers(), Map.of("error", "gone", "message", "Gone."))).isNotEmpty();
        assertThat(statusAnswer(404, headers(), Map.of("error", "session_not_found", "message", "No.", "trace", "at x")))
                .isNotEmpty();
        assertThat(statusAnswer(429, headers(), Map.of("error", "queue_full", "message", "Full.")))
                .as("a 429 without Retry-After").isNotEmpty();
    }

    @Test
    void a405WithoutAllow_isRejected() {
        byte[] body = "{\"error\":\"method_not_allowed\",\"message\":\"PUT is not allowed.\"}".getBytes(StandardCharsets.UTF_8);

        assertThat(contract.generic("MethodNotAllowed", new ApiContract.Answer("/api/stream/start", 405,
                headers("Allow", "POST, OPTIONS"), body))).isEmpty();
        assertThat(contract.generic("MethodNotAllowed", new ApiContract.Answer("/api/stream/start", 405,
                headers(), body))).isNotEmpty();
    }

    /** A route the document lacks, and an operation the router lacks, are both reported. */
    @Test
    void aRouterAndDocumentThatDisagree_areReported() {
        ApiRouter router = new ApiRouter(r -> null, r -> null, r -> null, r -> null, r -> null, ApiJson.create());
        assertThat(contract.disagreements(router.routeTable())).isEmpty();

        ObjectNode lacking = contract.documentCopy();
        ObjectNode paths = (ObjectNode) lacking.get("paths");
        paths.remove("/api/avatars/{id}");
        ((ObjectNode) paths.get("/api/stream/start")).set("put", paths.get("/api/stream/start").get("post"));

        assertThat(ApiContract.of(lacking).disagreements(router.routeTable())).containsExactlyInAnyOrder(
                "routed but not documented: GET /api/avatars/{id}",
                "routed but not documented: HEAD /api/avatars/{id}",
                "routed but not documented: OPTIONS /api/avatars/{id}",
                "documented but not routed: PUT /api/stream/start");
    }
}
