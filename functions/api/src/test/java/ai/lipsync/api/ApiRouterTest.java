package ai.lipsync.api;

import ai.lipsync.session.Session;
import ai.lipsync.storage.StreamFile;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ApiRouterTest {
    private final ApiFixture api = new ApiFixture();

    private static JsonNode json(ApiResponse r) throws IOException {
        return new ObjectMapper().readTree(r.body());
    }

    /**
     * The route table (what the API document is checked against) says what the router does: each
     * route's methods are the ones its preflight allows, and each reaches a handler (not the router's
     * own not_found or method_not_allowed).
     */
    @Test
    void routeTable_matchesWhatTheRouterAnswers() throws IOException {
        assertThat(api.router.routeTable()).hasSize(7);
        for (ApiRouter.RouteTemplate route : api.router.routeTable()) {
            String path = route.path().replace("{id}", "AAAAAAAAAAAAAAAAAAAAAA").replace("{filename}", "init.mp4");
            ApiResponse preflight = api.router.apply(ApiRequest.of("OPTIONS", path));

            assertThat(preflight.status()).as(path).isEqualTo(204);
            assertThat(preflight.header("Allow")).as(path).hasValue(String.join(", ", route.methods()));
            for (String method : route.methods().stream().filter(m -> !m.equals("OPTIONS") && !m.equals("HEAD")).toList()) {
                ApiResponse r = api.router.apply(ApiRequest.of(method, path));
                String code = r.status() < 400 ? "" : json(r).path("error").asText();
                assertThat(code).as(method + " " + path).isNotIn("not_found", "method_not_allowed");
            }
        }
    }

    @Test
    void apply_deleteOfASession_cancelsIt_thenAnswers409() throws IOException {
        Session s = api.session();

        ApiResponse cancelled = api.router.apply(ApiRequest.of("DELETE", "/api/stream/" + s.id()));

        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(json(cancelled).get("status").asText()).isEqualTo("cancelled");
        assertThat(json(cancelled).get("session_id").asText()).isEqualTo(s.id());
        assertThat(api.sessions.find(s.id()).orElseThrow().status()).isEqualTo(ai.lipsync.session.SessionStatus.CANCELLED);
        ApiResponse again = api.router.apply(ApiRequest.of("DELETE", "/api/stream/" + s.id()));
        assertThat(again.status()).isEqualTo(409);
        assertThat(json(again).get("error").asText()).isEqualTo("session_ended");
        assertThat(again.header("Access-Control-Allow-Origin")).hasValue("*");
        ApiResponse preflight = api.router.apply(ApiRequest.of("OPTIONS", "/api/stream/" + s.id()));
        assertThat(preflight.header("Access-Control-Allow-Methods")).hasValue("DELETE, OPTIONS");
    }

    @Test
    void apply_startThenStatus_routesToTheFunctions() throws IOException {
        ApiResponse started = api.router.apply(ApiFixture.post("/api/stream/start", "{\"text\":\"hi\",\"lang\":\"kk\"}"));
        String id = json(started).get("session_id").asText();

        ApiResponse status = api.router.apply(ApiFixture.get("/api/stream/status/" + id));

        assertThat(started.status()).isEqualTo(201);
        assertThat(json(status).get("status").asText()).isEqualTo("created");
    }

    @ParameterizedTest(name = "[{index}] {0} {1} -> {2} {3}")
    @CsvSource({
            "GET, /nope, 404, not_found",
            "GET, /api/stream, 404, not_found",
            "GET, /api/stream/status, 405, method_not_allowed",
            "DELETE, /api/stream/short, 400, invalid_session_id",
            "DELETE, /api/stream/AAAAAAAAAAAAAAAAAAAAAA, 404, session_not_found",
            "DELETE, /api/stream/status/AAAAAAAAAAAAAAAAAAAAAA, 405, method_not_allowed",
            "GET, /api/stream/start/extra, 404, not_found",
            "GET, /stream/AAAAAAAAAAAAAAAAAAAAAA, 404, not_found",
            "GET, /api/stream/status/short, 400, invalid_session_id",
            "GET, /stream/short/init.mp4, 400, invalid_session_id",
            "GET, /stream/AAAAAAAAAAAAAAAAAAAAAA/%2e%2e%2fsecret, 400, invalid_path",
            "GET, /stream/AAAAAAAAAAAAAAAAAAAAAA/..%2F..%2Fetc%2Fpasswd, 400, invalid_path",
            "GET, /stream/AAAAAAAAAAAAAAAAAAAAAA/%2E%2E, 400, invalid_path",
            "GET, /stream/AAAAAAAAAAAAAAAAAAAAAA/%5c..%5cx, 400, invalid_path",
            "GET, /stream/AAAAAAAAAAAAAAAAAAAAAA/seg%00.m4s, 400, invalid_path",
            "GET, /stream/AAAAAAAAAAAAAAAAAAAAAA/%zz, 400, invalid_path",
            "GET, /stream/AAAAAAAAAAAAAAAAAAAAAA/%C3%28, 400, invalid_path",
            "GET, /stream/AAAAAAAAAAAAAAAAAAAAAA/foo.txt, 400, invalid_filename",
            "GET, /stream/AAAAAAAAAAAAAAAAAAAAAA/init.mp4, 404, session_not_found",
            "GET, /api/stream/start, 405, method_not_allowed",
            "DELETE, /api/stream/start, 405, method_not_allowed",
            "POST, /api/stream/status/AAAAAAAAAAAAAAAAAAAAAA, 405, method_not_allowed",
            "PUT, /stream/AAAAAAAAAAAAAAAAAAAAAA/playlist.m3u8, 405, method_not_allowed",
            "POST, /stream/AAAAAAAAAAAAAAAAAAAAAA/init.mp4, 405, method_not_allowed"})
    void apply_withBadRequest_answersJson4xxWithCors(String method, String path, int status, String code) throws IOException {
        ApiResponse r = api.router.apply(ApiRequest.of(method, path));

        assertThat(r.status()).isEqualTo(status);
        assertThat(json(r).get("error").asText()).isEqualTo(code);
        assertThat(json(r).get("message").asText()).isNotBlank();
        assertThat(r.header("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(r.header("Content-Type")).hasValue("application/json");
    }

    @Test
    void apply_wrongMethod_namesTheAllowedOnes() {
        assertThat(api.router.apply(ApiRequest.of("GET", "/api/stream/start")).header("Allow")).hasValue("POST, OPTIONS");
        assertThat(api.router.apply(ApiRequest.of("POST", "/stream/AAAAAAAAAAAAAAAAAAAAAA/init.mp4")).header("Allow"))
                .hasValue("GET, HEAD, OPTIONS");
    }

    /** TRACE and the other methods no route serves: 405 on routes and on paths that route nowhere alike. */
    @ParameterizedTest(name = "[{index}] {0} {1}")
    @CsvSource({
            "TRACE, /api/stream/start, 'POST, OPTIONS'",
            "TRACE, /stream/AAAAAAAAAAAAAAAAAAAAAA/playlist.m3u8, 'GET, HEAD, OPTIONS'",
            "PATCH, /api/stream/status/AAAAAAAAAAAAAAAAAAAAAA, 'GET, HEAD, OPTIONS'",
            "TRACE, /nope, ",
            "TRACE, /, ",
            "PUT, /api/nothing, ",
            "DELETE, /stream/AAAAAAAAAAAAAAAAAAAAAA/a/b, ",
            "PROPFIND, /api, "})
    void apply_methodNoRouteServes_answers405WithAllowOnAnyPath(String method, String path, String routeAllow)
            throws IOException {
        ApiResponse r = api.router.apply(ApiRequest.of(method, path));

        String allow = routeAllow != null ? routeAllow : String.join(", ", ApiRouter.SERVED_METHODS);
        assertThat(r.status()).isEqualTo(405);
        assertThat(json(r).get("error").asText()).isEqualTo("method_not_allowed");
        assertThat(json(r).get("message").asText()).startsWith(method + " is not allowed");
        assertThat(r.header("Allow")).hasValue(allow);
        assertThat(allow).doesNotContain(method);
        assertThat(r.header("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(r.header("Content-Type")).hasValue("application/json");
    }

    @Test
    void apply_servedMethodOnAPathThatRoutesNowhere_staysA404() throws IOException {
        for (String method : ApiRouter.SERVED_METHODS) {
            ApiResponse r = api.router.apply(ApiRequest.of(method, "/api/nothing"));

            assertThat(r.status()).as(method).isEqualTo(404);
            assertThat(json(r).get("error").asText()).isEqualTo("not_found");
        }
    }

    @Test
    void apply_preflight_answers204WithCorsGrant() {
        ApiResponse r = api.router.apply(ApiRequest.of("OPTIONS", "/api/stream/start")
                .withHeader("Origin", "http://example.org")
                .withHeader("Access-Control-Request-Method", "POST")
                .withHeader("Access-Control-Request-Headers", "content-type"));

        assertThat(r.status()).isEqualTo(204);
        assertThat(r.body()).isEmpty();
        assertThat(r.header("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(r.header("Access-Control-Allow-Methods")).hasValue("POST, OPTIONS");
        assertThat(r.header("Access-Control-Allow-Headers")).hasValue("content-type");
        assertThat(r.header("Access-Control-Max-Age")).hasValue("86400");
    }

    @Test
    void apply_everyAnswer_exposesRangeHeaders() {
        ApiResponse r = api.router.apply(ApiRequest.of("GET", "/nowhere"));

        assertThat(r.header("Access-Control-Expose-Headers")).hasValueSatisfying(v ->
                assertThat(v).contains("Content-Length").contains("Content-Range").contains("Accept-Ranges"));
    }

    @Test
    void apply_head_answersHeadersWithoutBody() throws IOException {
        Session s = api.session();
        api.streams.put(s.id(), StreamFile.parse("init.mp4").orElseThrow(), new byte[321]);

        ApiResponse r = api.router.apply(ApiRequest.of("HEAD", "/stream/" + s.id() + "/init.mp4"));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        assertThat(r.header("Content-Length")).hasValue("321");
        assertThat(r.header("Content-Type")).hasValue("video/mp4");
    }

    @Test
    void apply_whenAFunctionThrows_answers500JsonWithoutStackTrace() throws IOException {
        ApiRouter router = new ApiRouter(req -> {
            throw new IllegalStateException("secret internals");
        }, api.status, api.cancel, api.playlist, api.file, api.json);

        ApiResponse r = router.apply(ApiFixture.post("/api/stream/start", "{}"));

        assertThat(r.status()).isEqualTo(500);
        assertThat(json(r).get("error").asText()).isEqualTo("internal_error");
        assertThat(r.bodyText()).doesNotContain("secret internals").doesNotContain("at ai.lipsync");
        assertThat(r.header("Access-Control-Allow-Origin")).hasValue("*");
    }

    @Test
    void segments_decodeEachSegmentOnItsOwn() {
        assertThat(ApiRouter.segments("/stream/abc/segment_001.m4s")).containsExactly("stream", "abc", "segment_001.m4s");
        assertThat(ApiRouter.segments("/a/%D0%BF%D1%80/")).containsExactly("a", "пр");
    }

    @Test
    void apply_playlistRoute_isServedByThePlaylistFunction() {
        Session s = api.session();
        ApiRouter router = new ApiRouter(api.start, api.status, api.cancel,
                req -> new ApiResponse(299, Map.of("X-Route", "playlist:" + req.pathParameter("id")), null), api.file, api.json);

        ApiResponse r = router.apply(ApiFixture.get("/stream/" + s.id() + "/playlist.m3u8"));

        assertThat(r.status()).isEqualTo(299);
        assertThat(r.header("X-Route")).hasValue("playlist:" + s.id());
    }
}
