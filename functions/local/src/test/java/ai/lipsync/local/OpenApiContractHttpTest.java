package ai.lipsync.local;

import ai.lipsync.api.ApiDocument;
import ai.lipsync.api.ApiRouter;
import ai.lipsync.pipeline.GenerationPipeline;
import ai.lipsync.session.GenerationJob;
import ai.lipsync.session.JobHandler;
import ai.lipsync.session.JobQueue;
import ai.lipsync.session.Language;
import ai.lipsync.session.Session;
import ai.lipsync.session.SessionIds;
import ai.lipsync.session.SessionStore;
import ai.lipsync.settings.LipsyncSettings;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API document against the running app (real espeak-ng, engine, encoder and store): real requests,
 * good and bad, and every answer validated against openapi.yaml by {@link ApiContract}; the router's
 * route table and the document must list the same operations, so a route added without documenting
 * it fails here.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "lipsync.queue.capacity=1", "lipsync.queue.workers=1", "lipsync.queue.retry-after=3s",
        "lipsync.api.max-text-length=120"})
@Import(OpenApiContractHttpTest.HeldPipelineConfiguration.class)
class OpenApiContractHttpTest extends RunningAppTest {
    private static final ApiContract CONTRACT = ApiContract.shipped();
    private static final String UNKNOWN = "AAAAAAAAAAAAAAAAAAAAAA";

    @Autowired
    ApiRouter router;
    @Autowired
    HeldPipeline pipeline;
    @Autowired
    SessionStore sessions;
    @Autowired
    JobQueue jobQueue;
    @Autowired
    Clock clock;
    @Autowired
    LipsyncSettings settings;

    /** The real pipeline, behind a gate the test may close to keep the one worker busy (so the queue fills). */
    static final class HeldPipeline implements JobHandler {
        private final JobHandler pipeline;
        private final AtomicReference<CountDownLatch> gate = new AtomicReference<>(new CountDownLatch(0));
        private final AtomicReference<CountDownLatch> entered = new AtomicReference<>(new CountDownLatch(1));

        HeldPipeline(JobHandler pipeline) {
            this.pipeline = pipeline;
        }

        @Override
        public void handle(GenerationJob job) {
            entered.get().countDown();
            try {
                gate.get().await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            pipeline.handle(job);
        }

        void hold() {
            entered.set(new CountDownLatch(1));
            gate.set(new CountDownLatch(1));
        }

        boolean awaitWorkerHeld() throws InterruptedException {
            return entered.get().await(60, TimeUnit.SECONDS);
        }

        void release() {
            gate.get().countDown();
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class HeldPipelineConfiguration {
        @Bean
        @Primary
        HeldPipeline heldPipeline(GenerationPipeline generationPipeline) {
            return new HeldPipeline(generationPipeline);
        }
    }

    private record Sent(String method, String path, Map<String, String> headers, byte[] body,
                        HttpResponse<byte[]> answer) {
        String text() {
            return new String(answer.body(), StandardCharsets.UTF_8);
        }

        JsonNode json() throws Exception {
            return JSON.readTree(answer.body());
        }

        int status() {
            return answer.statusCode();
        }
    }

    private Sent send(String method, String path, byte[] body, String... headers) throws Exception {
        Map<String, String> h = new LinkedHashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        h.forEach(b::header);
        return new Sent(method, path, h, body, http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray()));
    }

    private Sent sendJson(String method, String path, String json) throws Exception {
        return send(method, path, json == null ? null : json.getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/json");
    }

    /** A request the document calls valid: request and answer are both checked. */
    private Sent valid(Sent s) {
        assertValid(CONTRACT.exchange(s.method, s.path, s.headers, s.body, ApiContract.Answer.of(s.answer)), s);
        return s;
    }

    /** A request the document may call wrong: its answer must still be one the operation documents. */
    private Sent answered(Sent s) {
        assertValid(CONTRACT.answer(s.method, s.path, ApiContract.Answer.of(s.answer)), s);
        return s;
    }

    private static void assertValid(List<String> errors, Sent s) {
        assertThat(errors).as("%s %s -> %d %s", s.method, s.path, s.status(), s.text()).isEmpty();
    }

    @Test
    void theRouterAndTheDocument_listTheSameOperations() {
        assertThat(CONTRACT.disagreements(router.routeTable())).isEmpty();
        assertThat(router.routeTable()).isNotEmpty();
    }

    /**
     * One session from start to its last segment, and a full queue on the way: a held worker, a second
     * session waiting in the queue (capacity 1), a third refused with 429; then both generate for real.
     */
    @Test
    void aSessionFromStartToItsSegments_answersAsDocumented() throws Exception {
        pipeline.hold();
        JsonNode first;
        JsonNode second;
        try {
            first = valid(sendJson("POST", "/api/stream/start",
                    "{\"text\":\"Привет! Чем могу помочь?\",\"lang\":\"ru\",\"avatar\":\"default\"}")).json();
            assertThat(pipeline.awaitWorkerHeld()).isTrue();
            String id = first.get("session_id").asText();
            // The worker holds the job before the pipeline takes it: the session is still 'created'.
            Sent waiting = valid(send("GET", "/api/stream/status/" + id, null));
            assertThat(waiting.json().get("status").asText()).isEqualTo("created");
            assertThat(valid(send("GET", "/stream/" + id + "/playlist.m3u8", null)).json().get("error").asText())
                    .isEqualTo("not_ready");
            assertThat(valid(send("GET", "/stream/" + id + "/init.mp4", null)).status()).isEqualTo(404);

            second = valid(sendJson("POST", "/api/stream/start", "{\"text\":\"Hello there.\",\"lang\":\"EN\"}")).json();
            Sent refused = valid(sendJson("POST", "/api/stream/start", "{\"text\":\"Сәлем!\",\"lang\":\"kk\"}"));
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.json().get("error").asText()).isEqualTo("queue_full");
            assertThat(valid(send("GET", "/api/stream/status/" + second.get("session_id").asText(), null))
                    .json().get("status").asText()).isEqualTo("created");
        } finally {
            pipeline.release();
        }

        for (JsonNode started : List.of(first, second)) {
            JsonNode status = pollUntilFinal(started.get("status_url").asText());
            assertThat(status.get("status").asText()).as(status.toString()).isEqualTo("ready");
            checkStream(started.get("session_id").asText(), started.get("playlist_url").asText());
        }
    }

    /** A job that waited past lipsync.queue.start-deadline (its session created that long ago) ends expired. */
    @Test
    void aSessionThatExpiredInTheQueue_answersItsStatusAsDocumented() throws Exception {
        String id = SessionIds.create().next();
        Instant created = clock.instant().minus(settings.queue().startDeadline()).minusSeconds(1);
        sessions.create(Session.created(id, "Asked too long ago.", Language.EN, "default", created));
        jobQueue.submit(new GenerationJob(id, "Asked too long ago.", Language.EN, "default"));

        JsonNode status = pollUntilFinal("/api/stream/status/" + id);

        assertThat(status.get("status").asText()).as(status.toString()).isEqualTo("error");
        assertThat(status.get("error_code").asText()).isEqualTo("expired");
        assertThat(status.get("error").asText()).isNotBlank();
        assertThat(status.get("playlist_ready").asBoolean()).isFalse();
        assertThat(status.get("engine").isNull()).isTrue();
    }

    /**
     * A cancel as documented: 200 with the session now cancelled, 409 once it has ended, and the stream
     * of a session cancelled before it started answers 404 {@code stream_cancelled}; the held worker then
     * drops the job, and a session that ended ready refuses a cancel with 409 too.
     */
    @Test
    void cancel_answersAsDocumented() throws Exception {
        pipeline.hold();
        String id;
        try {
            JsonNode started = valid(sendJson("POST", "/api/stream/start", "{\"text\":\"Stop me.\",\"lang\":\"en\"}"))
                    .json();
            assertThat(pipeline.awaitWorkerHeld()).isTrue();
            id = started.get("session_id").asText();

            Sent cancelled = valid(send("DELETE", "/api/stream/" + id, null));

            assertThat(cancelled.status()).isEqualTo(200);
            assertThat(cancelled.json().get("status").asText()).isEqualTo("cancelled");
            Sent again = valid(send("DELETE", "/api/stream/" + id, null));
            assertThat(again.status()).isEqualTo(409);
            assertThat(again.json().get("error").asText()).isEqualTo("session_ended");
            Sent playlist = valid(send("GET", "/stream/" + id + "/playlist.m3u8", null));
            assertThat(playlist.json().get("error").asText()).isEqualTo("stream_cancelled");
        } finally {
            pipeline.release();
        }
        JsonNode ready = valid(sendJson("POST", "/api/stream/start", "{\"text\":\"Done.\",\"lang\":\"en\"}")).json();
        assertThat(pollUntilFinal(ready.get("status_url").asText()).get("status").asText()).isEqualTo("ready");
        assertThat(valid(send("GET", "/api/stream/status/" + id, null)).json().get("status").asText())
                .isEqualTo("cancelled");
        Sent afterReady = valid(send("DELETE", "/api/stream/" + ready.get("session_id").asText(), null));
        assertThat(afterReady.status()).isEqualTo(409);
    }

    private JsonNode pollUntilFinal(String statusUrl) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            JsonNode status = valid(send("GET", statusUrl, null)).json();
            if (Set.of("ready", "error", "cancelled").contains(status.get("status").asText())) {
                return status;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no final status at " + statusUrl);
    }

    private void checkStream(String id, String playlistUrl) throws Exception {
        Sent playlist = valid(send("GET", playlistUrl, null));
        assertThat(playlist.status()).isEqualTo(200);
        assertThat(valid(send("GET", playlistUrl, null, "Range", "bytes=0-6")).text()).isEqualTo("#EXTM3U");
        assertThat(valid(send("HEAD", playlistUrl, null)).status()).isEqualTo(200);
        List<String> segments = playlist.text().lines().filter(l -> l.endsWith(".m4s")).toList();
        assertThat(segments).isNotEmpty();

        String init = "/stream/" + id + "/init.mp4";
        String segment = "/stream/" + id + "/" + segments.get(0);
        assertThat(valid(send("GET", init, null)).answer.headers().firstValue("Content-Type")).hasValue("video/mp4");
        Sent whole = valid(send("GET", segment, null));
        assertThat(whole.status()).isEqualTo(200);
        Sent part = valid(send("GET", segment, null, "Range", "bytes=100-199"));
        assertThat(part.status()).isEqualTo(206);
        assertThat(part.answer.body()).isEqualTo(Arrays.copyOfRange(whole.answer.body(), 100, 200));
        Sent head = valid(send("HEAD", segment, null));
        assertThat(head.answer.headers().firstValue("Content-Length")).hasValue(Integer.toString(whole.answer.body().length));
        assertThat(valid(send("HEAD", segment, null, "Range", "bytes=0-9")).status()).isEqualTo(206);
        assertThat(valid(send("GET", segment, null, "Range", "bytes=" + whole.answer.body().length + "-")).status())
                .isEqualTo(416);
        assertThat(valid(send("GET", "/stream/" + id + "/segment_999999.m4s", null)).json().get("error").asText())
                .isEqualTo("file_not_found");
        assertThat(valid(send("HEAD", "/api/stream/status/" + id, null)).status()).isEqualTo(200);
    }

    @ParameterizedTest(name = "[{index}] {0} {1} {2} -> {3} {4}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "POST | /api/stream/start | '{not json'                                  | 400 | invalid_json",
            "POST | /api/stream/start | NULL                                         | 400 | invalid_json",
            "POST | /api/stream/start | '[1,2]'                                      | 400 | invalid_json",
            "POST | /api/stream/start | '{\"text\":5,\"lang\":\"en\"}'               | 400 | invalid_field",
            "POST | /api/stream/start | '{\"lang\":\"ru\"}'                          | 400 | text_required",
            "POST | /api/stream/start | '{\"text\":\"  \",\"lang\":\"ru\"}'          | 400 | text_required",
            "POST | /api/stream/start | '{\"text\":\"hi\"}'                          | 400 | lang_required",
            "POST | /api/stream/start | '{\"text\":\"hi\",\"lang\":\"de\"}'          | 400 | unsupported_lang",
            "POST | /api/stream/start | '{\"text\":\"a\\u0007b\",\"lang\":\"en\"}'   | 400 | invalid_text",
            "POST | /api/stream/start | '{\"text\":\"a\\ud800b\",\"lang\":\"en\"}'   | 400 | invalid_text",
            "POST | /api/stream/start | '{\"text\":\"hi\",\"lang\":\"en\",\"avatar\":\"ghost\"}' | 400 | unknown_avatar",
            "POST | /api/stream/start | '{\"text\":\"hi\",\"lang\":\"en\",\"avatar\":\"../x\"}'  | 400 | invalid_avatar",
            "GET  | /api/stream/status/not-an-id                         | NULL     | 400 | invalid_session_id",
            "GET  | /api/stream/status/" + UNKNOWN + "                   | NULL     | 404 | session_not_found",
            "HEAD | /api/stream/status/" + UNKNOWN + "                   | NULL     | 404 | NULL",
            "GET  | /stream/not-an-id/playlist.m3u8                      | NULL     | 400 | invalid_session_id",
            "GET  | /stream/" + UNKNOWN + "/playlist.m3u8                | NULL     | 404 | session_not_found",
            "GET  | /stream/" + UNKNOWN + "/segment_000.m4s              | NULL     | 404 | session_not_found",
            "HEAD | /stream/" + UNKNOWN + "/init.mp4                     | NULL     | 404 | NULL",
            "GET  | /stream/" + UNKNOWN + "/notes.txt                    | NULL     | 400 | invalid_filename",
            "GET  | /stream/" + UNKNOWN + "/segment_1.m4s                | NULL     | 400 | invalid_filename",
            "GET  | /stream/" + UNKNOWN + "/..%2F..%2Fpom.xml            | NULL     | 400 | invalid_path",
            "DELETE | /api/stream/not-an-id                              | NULL     | 400 | invalid_session_id",
            "DELETE | /api/stream/" + UNKNOWN + "                        | NULL     | 404 | session_not_found"})
    void badRequests_areAnsweredAsDocumented(String method, String path, String body, int status, String code)
            throws Exception {
        Sent s = answered(sendJson(method, path, body));

        assertThat(s.status()).as(s.text()).isEqualTo(status);
        if (code != null) {
            assertThat(s.json().get("error").asText()).isEqualTo(code);
        }
    }

    @Test
    void aControlCharacterInTheText_isNamedWithItsPosition() throws Exception {
        Sent s = answered(sendJson("POST", "/api/stream/start", "{\"text\":\"Привет\\u0000!\",\"lang\":\"ru\"}"));

        assertThat(s.json().get("message").asText()).contains("U+0000 at position 7");
    }

    @Test
    void anOversizedStartBody_is413() throws Exception {
        String text = "x".repeat(120 * 12 + 4097);
        Sent s = answered(sendJson("POST", "/api/stream/start", "{\"text\":\"" + text + "\",\"lang\":\"en\"}"));

        assertThat(s.status()).isEqualTo(413);
        assertThat(s.json().get("error").asText()).isEqualTo("body_too_large");
    }

    /** This app runs the weights-free engine: both avatar routes answer 503, whatever the body. */
    @Test
    void avatarRoutes_withoutMuseTalk_answer503AsDocumented() throws Exception {
        byte[] form = ("--b0undary\r\nContent-Disposition: form-data; name=\"video\"; filename=\"anna.mp4\"\r\n"
                + "Content-Type: video/mp4\r\n\r\nnot really a video\r\n--b0undary--\r\n").getBytes(StandardCharsets.UTF_8);
        List<Sent> answers = List.of(
                valid(sendJson("POST", "/api/avatars", "{\"name\":\"anna.mp4\"}")),
                valid(send("POST", "/api/avatars", form, "Content-Type", "multipart/form-data; boundary=b0undary")),
                valid(send("POST", "/api/avatars", new byte[64], "Content-Type", "video/mp4", "X-Avatar-Name", "bob")),
                answered(send("POST", "/api/avatars", "hello".getBytes(StandardCharsets.UTF_8), "Content-Type", "text/plain")),
                valid(send("GET", "/api/avatars/anna", null)),
                valid(send("HEAD", "/api/avatars/anna", null)));

        assertThat(answers).allSatisfy(s -> assertThat(s.status()).isEqualTo(503));
    }

    /** Every route, from its route table entry: a preflight lists what the document lists for the path. */
    @Test
    void preflights_allowWhatTheDocumentLists() throws Exception {
        for (ApiRouter.RouteTemplate route : router.routeTable()) {
            String path = example(route.path());
            Sent s = valid(send("OPTIONS", path, null, "Origin", "http://player.example",
                    "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "range"));

            assertThat(s.status()).isEqualTo(204);
            assertThat(new TreeSet<>(List.of(s.answer.headers().firstValue("Allow").orElseThrow().split(", "))))
                    .as(route.path()).isEqualTo(CONTRACT.documentedMethods(route.path()));
        }
    }

    /** Methods a route does not serve (TRACE too) and paths no route serves: the document's shared answers. */
    @Test
    void unroutedMethodsAndPaths_getTheDocumentedErrors() throws Exception {
        for (ApiRouter.RouteTemplate route : router.routeTable()) {
            for (String method : List.of("GET", "POST", "PUT", "DELETE", "PATCH", "TRACE")) {
                if (route.methods().contains(method)) {
                    continue;
                }
                Sent s = send(method, example(route.path()), null);
                assertThat(s.status()).as(method + " " + route.path()).isEqualTo(405);
                assertValid(CONTRACT.generic("MethodNotAllowed", ApiContract.Answer.of(s.answer)), s);
                assertThat(s.answer.headers().firstValue("Allow")).hasValue(String.join(", ", route.methods()));
            }
        }
        for (String path : List.of("/api/nothing", "/stream/" + UNKNOWN + "/a/b", "/nothing-here")) {
            Sent s = send("GET", path, null);
            assertThat(s.status()).isEqualTo(404);
            assertValid(CONTRACT.generic("NotFound", ApiContract.Answer.of(s.answer)), s);
        }
    }

    /** The document is served as shipped, and its page renders it from the app's own files. */
    @Test
    void theDocumentAndItsPage_areServedWithoutAnyCdn() throws Exception {
        Sent document = send("GET", ApiDocument.PATH, null);
        assertThat(document.status()).isEqualTo(200);
        assertThat(document.answer.headers().firstValue("Content-Type")).hasValueSatisfying(v ->
                assertThat(v).startsWith(ApiDocument.CONTENT_TYPE));
        assertThat(document.answer.body()).isEqualTo(ApiDocument.bytes());
        assertThat(document.text()).startsWith("openapi: 3.1.0");
        assertThat(send("HEAD", ApiDocument.PATH, null).answer.headers().firstValue("Content-Length"))
                .hasValue(Integer.toString(ApiDocument.bytes().length));
        Sent post = send("POST", ApiDocument.PATH, new byte[0]);
        assertThat(post.status()).isEqualTo(405);
        assertValid(CONTRACT.generic("MethodNotAllowed", ApiContract.Answer.of(post.answer)), post);

        Sent docs = send("GET", "/api/docs", null);
        assertThat(docs.status()).isEqualTo(302);
        String page = docs.answer.headers().firstValue("Location").orElseThrow();
        Sent html = send("GET", URI.create(base() + "/api/docs").resolve(page).getRawPath(), null);
        assertThat(html.status()).isEqualTo(200);
        List<String> assets = new ArrayList<>();
        Matcher m = Pattern.compile("(?:src|href)=\"([^\":]+)\"").matcher(html.text());
        while (m.find()) {
            assets.add(m.group(1));
        }
        assertThat(assets).as(html.text()).contains("webjars/swagger-ui/swagger-ui-bundle.js", "docs.js");
        assertThat(html.text()).doesNotContain("https://").doesNotContain("http://");
        for (String asset : assets) {
            Sent a = send("GET", "/" + asset, null);
            assertThat(a.status()).as(asset).isEqualTo(200);
            assertThat(a.answer.body()).as(asset).isNotEmpty();
        }
        String script = send("GET", "/docs.js", null).text();
        assertThat(script).contains("url: '" + ApiDocument.PATH.substring(1) + "'");
    }

    /** A route template with example values in place of its variables. */
    private static String example(String template) {
        return template.replace("{id}", UNKNOWN).replace("{filename}", "init.mp4");
    }
}
