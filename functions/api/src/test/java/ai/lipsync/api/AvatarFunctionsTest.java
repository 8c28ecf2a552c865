package ai.lipsync.api;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lipsync.preparation.AvatarPreparationStatus;
import ai.lipsync.preparation.AvatarPreparations;
import ai.lipsync.session.ValidationException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The avatar routes over a recording {@link AvatarPreparations} double (the real service and its
 * validation are tested in functions/lipsync, with the models): request shapes in, status codes and JSON out.
 */
class AvatarFunctionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ApiFixture api = new ApiFixture();
    private final Recording prep = new Recording();
    private final CreateAvatarFunction create = new CreateAvatarFunction(Optional.of(prep), api.json);
    private final AvatarStatusFunction status = new AvatarStatusFunction(Optional.of(prep), api.json);
    private final ApiRouter router = new ApiRouter(api.start, api.status, api.cancel, api.playlist, api.file, create, status,
            api.json);

    /** Remembers calls, answers 'preparing', and lets a test set statuses or a refusal. */
    static final class Recording implements AvatarPreparations {
        final List<String> calls = new ArrayList<>();
        final Map<String, AvatarPreparationStatus> statuses = new ConcurrentHashMap<>();
        byte[] uploaded;
        ValidationException refusal;

        @Override
        public AvatarPreparationStatus prepare(String name) {
            calls.add("prepare:" + name);
            return started(name);
        }

        @Override
        public AvatarPreparationStatus upload(String name, String fileName, byte[] video) {
            calls.add("upload:" + name + ":" + fileName);
            uploaded = video;
            return started(name != null ? name : "up");
        }

        private AvatarPreparationStatus started(String id) {
            if (refusal != null) {
                throw refusal;
            }
            AvatarPreparationStatus s = new AvatarPreparationStatus(id, "preparing", 0, "queued", 0, null, null);
            statuses.put(id, s);
            return s;
        }

        @Override
        public Optional<AvatarPreparationStatus> status(String id) {
            if (refusal != null) {
                throw refusal;
            }
            return Optional.ofNullable(statuses.get(id));
        }

        @Override
        public long maxUploadBytes() {
            return 1000;
        }
    }

    private static JsonNode json(ApiResponse r) throws Exception {
        return JSON.readTree(r.body());
    }

    private static ApiRequest request(String method, String path, String type, byte[] body, Map<String, String> extra) {
        Map<String, String> h = new java.util.LinkedHashMap<>(extra);
        h.put("Content-Type", type);
        return new ApiRequest(method, path, Map.of(), h, body);
    }

    static byte[] form(String boundary, String name, String fileName, byte[] video) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String head = "--" + boundary + "\r\n";
        if (name != null) {
            out.writeBytes((head + "Content-Disposition: form-data; name=\"name\"\r\n\r\n" + name + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        if (video != null) {
            out.writeBytes((head + "Content-Disposition: form-data; name=\"video\"; filename=\"" + fileName
                    + "\"\r\nContent-Type: video/mp4\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.writeBytes(video);
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    @Test
    void postJsonName_answers202WithTheStatusUrlAndPreparesThatVideo() throws Exception {
        ApiResponse r = router.apply(ApiFixture.post("/api/avatars", "{\"name\": \"sun.mp4\"}"));

        assertThat(r.status()).isEqualTo(202);
        assertThat(json(r).get("avatar_id").asText()).isEqualTo("sun.mp4");
        assertThat(json(r).get("status").asText()).isEqualTo("preparing");
        assertThat(json(r).get("status_url").asText()).isEqualTo("/api/avatars/sun.mp4");
        assertThat(r.header("Location")).hasValue("/api/avatars/sun.mp4");
        assertThat(prep.calls).containsExactly("prepare:sun.mp4");
    }

    @Test
    void postMultipartUpload_handsTheFileBytesAndNamesOn() throws Exception {
        byte[] video = new byte[300];
        for (int i = 0; i < video.length; i++) {
            video[i] = (byte) (i * 7); // includes CR, LF and '-' bytes
        }
        ApiResponse r = router.apply(request("POST", "/api/avatars", "multipart/form-data; boundary=XyZ",
                form("XyZ", "anna", "anna.mp4", video), Map.of()));

        assertThat(r.status()).isEqualTo(202);
        assertThat(json(r).get("avatar_id").asText()).isEqualTo("anna");
        assertThat(prep.calls).containsExactly("upload:anna:anna.mp4");
        assertThat(prep.uploaded).isEqualTo(video);
    }

    @Test
    void postRawVideo_takesItsNameFromTheHeader() {
        ApiResponse r = router.apply(request("POST", "/api/avatars", "video/mp4", new byte[] {1, 2, 3},
                Map.of("X-Avatar-Name", "bob")));

        assertThat(r.status()).isEqualTo(202);
        assertThat(prep.calls).containsExactly("upload:bob:null");
        assertThat(prep.uploaded).containsExactly(1, 2, 3);
    }

    @Test
    void getStatus_followsThePreparationFromPreparingToReady() throws Exception {
        router.apply(ApiFixture.post("/api/avatars", "{\"name\": \"sun\"}"));
        assertThat(json(router.apply(ApiFixture.get("/api/avatars/sun"))).get("status").asText()).isEqualTo("preparing");

        prep.statuses.put("sun", new AvatarPreparationStatus("sun", "preparing", 40, "masks", 25, null, null));
        JsonNode mid = json(router.apply(ApiFixture.get("/api/avatars/sun")));
        prep.statuses.put("sun", new AvatarPreparationStatus("sun", "ready", 100, "done", 25, null, null));
        ApiResponse done = router.apply(ApiFixture.get("/api/avatars/sun"));

        assertThat(mid.get("progress").asInt()).isEqualTo(40);
        assertThat(mid.get("stage").asText()).isEqualTo("masks");
        assertThat(done.status()).isEqualTo(200);
        assertThat(json(done).get("status").asText()).isEqualTo("ready");
        assertThat(json(done).get("frames").asInt()).isEqualTo(25);
        assertThat(json(done).get("error").isNull()).isTrue();
    }

    @Test
    void getStatus_ofAFailedPreparation_carriesTheReason() throws Exception {
        prep.statuses.put("wall", new AvatarPreparationStatus("wall", "error", 0, "failed", 0,
                "No face was found in any of the 5 frames of the avatar video 'wall'.", "avatar_invalid"));

        JsonNode body = json(router.apply(ApiFixture.get("/api/avatars/wall")));

        assertThat(body.get("status").asText()).isEqualTo("error");
        assertThat(body.get("error").asText()).startsWith("No face was found");
        assertThat(body.get("error_code").asText()).isEqualTo("avatar_invalid");
    }

    @Test
    void getStatus_ofAnUnknownAvatar_is404Json() throws Exception {
        ApiResponse r = router.apply(ApiFixture.get("/api/avatars/nobody"));

        assertThat(r.status()).isEqualTo(404);
        assertThat(json(r).get("error").asText()).isEqualTo("avatar_not_found");
    }

    @ParameterizedTest
    @CsvSource({
        "invalid_avatar_name, 400", "unknown_avatar, 404", "video_required, 400", "not_a_video, 415",
        "video_too_large, 413", "avatar_exists, 409", "preparation_queue_full, 429"})
    void refusals_becomeTheirStatusWithErrorAndMessage(String code, int expected) throws Exception {
        prep.refusal = new ValidationException(code, "Because " + code + ".");

        ApiResponse r = router.apply(ApiFixture.post("/api/avatars", "{\"name\": \"x\"}"));

        assertThat(r.status()).isEqualTo(expected);
        assertThat(json(r).get("error").asText()).isEqualTo(code);
        assertThat(json(r).get("message").asText()).isEqualTo("Because " + code + ".");
        assertThat(r.header("Access-Control-Allow-Origin")).hasValue("*");
        if (expected == 429) {
            assertThat(r.header("Retry-After")).isPresent();
        }
    }

    @Test
    void badRequestShapes_are4xxJsonAndReachNoPreparation() throws Exception {
        List<ApiResponse> answers = List.of(
                router.apply(ApiFixture.post("/api/avatars", "{\"name\": 5}")),
                router.apply(ApiFixture.post("/api/avatars", "not json")),
                router.apply(request("POST", "/api/avatars", "multipart/form-data; boundary=B",
                        form("B", "anna", null, null), Map.of())),
                router.apply(request("POST", "/api/avatars", "multipart/form-data; boundary=B",
                        "--B\r\nno end".getBytes(StandardCharsets.UTF_8), Map.of())),
                router.apply(request("POST", "/api/avatars", "multipart/form-data", new byte[10], Map.of())),
                router.apply(request("POST", "/api/avatars", "text/plain", new byte[10], Map.of())),
                router.apply(request("POST", "/api/avatars", "video/mp4", new byte[create.maxBodyBytes() + 1],
                        Map.of())));

        assertThat(answers).extracting(ApiResponse::status).containsExactly(400, 400, 400, 400, 400, 415, 413);
        assertThat(json(answers.get(2)).get("error").asText()).isEqualTo("video_required");
        assertThat(json(answers.get(3)).get("error").asText()).isEqualTo("invalid_multipart");
        for (ApiResponse r : answers) {
            assertThat(json(r).get("message").asText()).isNotBlank();
        }
        assertThat(prep.calls).isEmpty();
    }

    @Test
    void traversalInThePath_isRefusedByTheRouter() throws Exception {
        ApiResponse r = router.apply(ApiFixture.get("/api/avatars/..%2Fetc"));

        assertThat(r.status()).isEqualTo(400);
        assertThat(json(r).get("error").asText()).isEqualTo("invalid_path");
    }

    @Test
    void withoutPreparations_bothRoutesAnswer503Json() throws Exception {
        ApiRouter bare = new ApiRouter(api.start, api.status, api.cancel, api.playlist, api.file, api.json);

        ApiResponse post = bare.apply(ApiFixture.post("/api/avatars", "{\"name\": \"sun\"}"));
        ApiResponse get = bare.apply(ApiFixture.get("/api/avatars/sun"));

        assertThat(post.status()).isEqualTo(503);
        assertThat(get.status()).isEqualTo(503);
        assertThat(json(post).get("error").asText()).isEqualTo("avatar_preparation_unavailable");
    }
}
