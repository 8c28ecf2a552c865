package ai.lipsync.api.aws;

import ai.lipsync.api.lambda.LambdaApiApplication;
import ai.lipsync.aws.AwsClients;
import ai.lipsync.aws.AwsResources;
import ai.lipsync.aws.AwsSettings;
import ai.lipsync.aws.queue.JobMessages;
import ai.lipsync.aws.session.DynamoDbSessionStore;
import ai.lipsync.aws.storage.S3StreamStore;
import ai.lipsync.aws.testing.MotoServer;
import ai.lipsync.session.Session;
import ai.lipsync.session.SessionStatus;
import ai.lipsync.storage.StreamFile;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deployed handler end to end: Spring Cloud Function's {@link FunctionInvoker} boots
 * {@link LambdaApiApplication} (DynamoDB sessions, SQS jobs, S3 streams, presigned playlists) against
 * moto_server, and real API Gateway HTTP API v2 events go through {@code handleRequest} as bytes.
 * Status codes, CORS headers and bodies are those of the embedded default over HTTP.
 */
class LambdaHandlerTest {
    private static final String PLAYLIST = """
            #EXTM3U
            #EXT-X-VERSION:7
            #EXT-X-TARGETDURATION:1
            #EXT-X-PLAYLIST-TYPE:EVENT
            #EXT-X-MAP:URI="init.mp4"
            #EXTINF:1.000000,
            segment_000.m4s
            #EXTINF:1.000000,
            segment_001.m4s
            """;
    @AutoClose
    private static MotoServer moto;
    private static AwsSettings settings;
    @AutoClose
    private static AwsClients clients;
    private static FunctionInvoker invoker;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void boot() {
        moto = MotoServer.start();
        settings = moto.freshSettings();
        clients = AwsClients.create(settings, moto.credentials());
        new AwsResources(clients, settings).ensureAll();
        Map<String, String> environment = LambdaEvents.environment(settings, moto.endpoint());
        // Spring maps LIPSYNC_PLAYLIST_PRESIGN_EXPIRY to this only from the real environment.
        environment.put("lipsync.avatar.ids", "default,anna");
        environment.put("lipsync.playlist.presign-expiry", "15m");
        invoker = LambdaEvents.boot(environment);
    }

    private static DynamoDbSessionStore sessions() {
        return new DynamoDbSessionStore(clients.dynamoDb(), settings.tableName(), settings.sessionTtl(), Clock.systemUTC());
    }

    private static String start() throws IOException {
        LambdaEvents.Answer answer = LambdaEvents.invoke(invoker, "start", null);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        return answer.json().get("session_id").asText();
    }

    @Test
    void start_recordsTheSessionInDynamoDbAndQueuesTheJobOnSqs() throws IOException {
        LambdaEvents.Answer answer = LambdaEvents.invoke(invoker, "start", null);

        assertThat(answer.statusCode()).isEqualTo(201);
        assertThat(answer.isBase64Encoded()).isFalse();
        assertThat(answer.header("Content-Type")).isEqualTo("application/json");
        assertThat(answer.header("Access-Control-Allow-Origin")).isEqualTo("*");
        JsonNode body = answer.json();
        String id = body.get("session_id").asText();
        assertThat(body.get("status").asText()).isEqualTo("created");
        assertThat(body.get("playlist_url").asText()).isEqualTo("/stream/" + id + "/playlist.m3u8");
        assertThat(body.get("status_url").asText()).isEqualTo("/api/stream/status/" + id);
        assertThat(answer.header("Location")).isEqualTo("/api/stream/status/" + id);

        Session stored = sessions().find(id).orElseThrow();
        assertThat(stored.status()).isEqualTo(SessionStatus.CREATED);
        assertThat(stored.text()).isEqualTo("Hello from the Lambda");
        assertThat(queuedSessions()).contains(id);
    }

    @Test
    void start_withBase64Body_decodesIt() throws IOException {
        LambdaEvents.Answer started = LambdaEvents.invoke(invoker, "start-base64", null);

        assertThat(started.statusCode()).isEqualTo(201);
        Session stored = sessions().find(started.json().get("session_id").asText()).orElseThrow();
        assertThat(stored.text()).isEqualTo("Привет!");
        assertThat(stored.lang().code()).isEqualTo("ru");
    }

    @Test
    void status_readsTheRecordTheWorkerUpdates() throws IOException {
        String id = start();
        java.time.Instant now = java.time.Instant.now();
        sessions().update(id, s -> s.processing("weights-free", now).withProgress(40, now));

        LambdaEvents.Answer answer = LambdaEvents.invoke(invoker, "status", id);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.header("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
        JsonNode body = answer.json();
        assertThat(body.get("session_id").asText()).isEqualTo(id);
        assertThat(body.get("status").asText()).isEqualTo("processing");
        assertThat(body.get("progress").asInt()).isEqualTo(40);
        assertThat(body.get("engine").asText()).isEqualTo("weights-free");
        assertThat(body.get("playlist_ready").asBoolean()).isFalse();
    }

    /** DELETE through the Lambda: the record in DynamoDB becomes cancelled; a second DELETE is 409, an unknown id 404. */
    @Test
    void cancel_marksTheSessionCancelledInDynamoDb() throws IOException {
        String id = start();
        java.time.Instant now = java.time.Instant.now();
        sessions().update(id, s -> s.claimedBy("weights-free", "w1", now.plusSeconds(60), now).withProgress(30, now));

        LambdaEvents.Answer answer = LambdaEvents.invoke(invoker, LambdaEvents.startEventAs("DELETE", "/api/stream/" + id));

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.header("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(answer.json().get("status").asText()).isEqualTo("cancelled");
        assertThat(answer.json().get("progress").asInt()).isEqualTo(30);
        Session stored = sessions().find(id).orElseThrow();
        assertThat(stored.status()).isEqualTo(SessionStatus.CANCELLED);
        assertThat(stored.workerId()).as("the worker still sees its own session cancelled").isEqualTo("w1");

        LambdaEvents.Answer again = LambdaEvents.invoke(invoker, LambdaEvents.startEventAs("DELETE", "/api/stream/" + id));
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.json().get("error").asText()).isEqualTo("session_ended");
        LambdaEvents.Answer unknown = LambdaEvents.invoke(invoker,
                LambdaEvents.startEventAs("DELETE", "/api/stream/AAAAAAAAAAAAAAAAAAAAAA"));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.json().get("error").asText()).isEqualTo("session_not_found");
    }

    /** The cancel is a conditional write: a session the worker already ended ready stays ready. */
    @Test
    void cancel_ofASessionThatEndedReady_is409AndLeavesItReady() throws IOException {
        String id = start();
        java.time.Instant now = java.time.Instant.now();
        sessions().update(id, s -> s.processing("weights-free", now).ready(now));

        LambdaEvents.Answer answer = LambdaEvents.invoke(invoker, LambdaEvents.startEventAs("DELETE", "/api/stream/" + id));

        assertThat(answer.statusCode()).isEqualTo(409);
        assertThat(answer.json().get("message").asText()).contains("ready");
        assertThat(sessions().find(id).orElseThrow().status()).isEqualTo(SessionStatus.READY);
    }

    @Test
    void start_withMalformedJson_answers400JsonError() throws IOException {
        LambdaEvents.Answer answer = LambdaEvents.invoke(invoker, "start-bad-json", null);

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.header("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(answer.header("Content-Type")).isEqualTo("application/json");
        assertThat(answer.json().get("error").asText()).isEqualTo("invalid_json");
        assertThat(answer.json().get("message").asText()).contains("JSON object");
    }

    @Test
    void status_ofAnUnknownId_answers404() throws IOException {
        LambdaEvents.Answer answer = LambdaEvents.invoke(invoker, "status", "AAAAAAAAAAAAAAAAAAAAAA");

        assertThat(answer.statusCode()).isEqualTo(404);
        assertThat(answer.header("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(answer.json().get("error").asText()).isEqualTo("session_not_found");
    }

    @Test
    void status_ofAMalformedId_answers400() throws IOException {
        LambdaEvents.Answer answer = LambdaEvents.invoke(invoker, "status", "not-an-id");

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.json().get("error").asText()).isEqualTo("invalid_session_id");
    }

    @Test
    void playlist_beforePublication_answers404NotReady() throws IOException {
        LambdaEvents.Answer answer = LambdaEvents.invoke(invoker, "playlist", start());

        assertThat(answer.statusCode()).isEqualTo(404);
        assertThat(answer.header("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(answer.json().get("error").asText()).isEqualTo("not_ready");
    }

    /**
     * moto does not check presigned signatures or their expiry: it serves any well-formed presigned
     * GET. This proves the URLs name the right objects and that players can fetch them from the
     * endpoint; the signature itself is the SDK's, and real S3 checks it (README).
     */
    @Test
    void playlist_namesEverySegmentAndTheInitByAPresignedUrlThatFetchesTheObject() throws Exception {
        String id = start();
        Map<String, byte[]> published = publish(id);

        LambdaEvents.Answer answer = LambdaEvents.invoke(invoker, "playlist", id);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.isBase64Encoded()).isFalse();
        assertThat(answer.header("Content-Type")).isEqualTo("application/vnd.apple.mpegurl");
        assertThat(answer.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(answer.header("Access-Control-Allow-Origin")).isEqualTo("*");
        List<String> lines = answer.body().lines().toList();
        String map = lines.stream().filter(l -> l.startsWith("#EXT-X-MAP:")).findFirst().orElseThrow();
        String initUrl = map.substring(map.indexOf("URI=\"") + 5, map.lastIndexOf('"'));
        List<String> segmentUrls = lines.stream().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertThat(segmentUrls).hasSize(2);
        assertThat(lines).contains("#EXTM3U", "#EXT-X-TARGETDURATION:1", "#EXTINF:1.000000,");

        Map<String, String> urls = new LinkedHashMap<>();
        urls.put("init.mp4", initUrl);
        urls.put("segment_000.m4s", segmentUrls.get(0));
        urls.put("segment_001.m4s", segmentUrls.get(1));
        for (Map.Entry<String, String> e : urls.entrySet()) {
            URI uri = URI.create(e.getValue());
            assertThat(uri.getPath()).isEqualTo("/" + settings.bucketName() + "/hls/" + id + "/" + e.getKey());
            assertThat(uri.getQuery()).contains("X-Amz-Signature=").contains("X-Amz-Expires=900");
            HttpResponse<byte[]> fetched = http.send(HttpRequest.newBuilder(uri).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(fetched.statusCode()).as(e.getKey()).isEqualTo(200);
            assertThat(fetched.body()).as(e.getKey()).isEqualTo(published.get(e.getKey()));
        }
    }

    @Test
    void segment_throughTheApi_isBase64EncodedWithItsRange() throws Exception {
        String id = start();
        byte[] segment = publish(id).get("segment_000.m4s");

        LambdaEvents.Answer answer = LambdaEvents.invoke(invoker, "segment", id);

        assertThat(answer.statusCode()).isEqualTo(206);
        assertThat(answer.isBase64Encoded()).isTrue();
        assertThat(answer.header("Content-Type")).isEqualTo("video/iso.segment");
        assertThat(answer.header("Content-Range")).isEqualTo("bytes 0-99/" + segment.length);
        assertThat(answer.bytes()).isEqualTo(java.util.Arrays.copyOf(segment, 100));
    }

    @Test
    void preflight_answers204WithCorsGrant() throws IOException {
        LambdaEvents.Answer answer = LambdaEvents.invoke(invoker, "preflight", null);

        assertThat(answer.statusCode()).isEqualTo(204);
        assertThat(answer.header("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(answer.header("Access-Control-Allow-Methods")).contains("POST");
        assertThat(answer.header("Access-Control-Allow-Headers")).isEqualTo("content-type");
        assertThat(answer.body()).isEmpty();
    }

    /** The same validation as the web app: the domain's, before anything is stored or queued. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "{\"text\": \"hi\", \"lang\": \"ru\\u0000\"} | unsupported_lang | 'ru\\u0000'",
            "{\"text\": \"a\\u0007b\", \"lang\": \"en\"} | invalid_text | control character U+0007 at position 2",
            "{\"text\": \"ab\\udc00\", \"lang\": \"en\"} | invalid_text | unpaired surrogate U+DC00 at position 3"})
    void start_withBadTextOrLanguage_answers400NamingTheProblem(String body, String code, String named)
            throws IOException {
        LambdaEvents.Answer answer = LambdaEvents.invoke(invoker, LambdaEvents.startEventWithBody(body));

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
        assertThat(answer.header("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(answer.json().get("error").asText()).isEqualTo(code);
        assertThat(answer.json().get("message").asText()).contains(named);
    }

    /** The function's own answer; API Gateway's routes (template.yaml) refuse most of these before it. */
    @ParameterizedTest(name = "[{index}] {0} {1}")
    @CsvSource({"TRACE, /api/stream/start", "TRACE, /nothing-here", "PUT, /", "DELETE, /api/nothing",
            "PATCH, /stream/AAAAAAAAAAAAAAAAAAAAAA/segment_000.m4s"})
    void methodNoRouteServes_answersJson405WithAllow(String method, String path) throws IOException {
        LambdaEvents.Answer answer = LambdaEvents.invoke(invoker, LambdaEvents.startEventAs(method, path));

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(405);
        assertThat(answer.header("Content-Type")).isEqualTo("application/json");
        assertThat(answer.header("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(answer.json().get("error").asText()).isEqualTo("method_not_allowed");
        assertThat(answer.json().get("message").asText()).startsWith(method + " ");
        assertThat(answer.header("Allow")).isNotBlank().doesNotContain(method);
    }

    /** Publishes a small stream as the worker does (segments first, playlist last); returns the bytes by name. */
    private static Map<String, byte[]> publish(String id) throws IOException {
        S3StreamStore store = new S3StreamStore(clients.s3(), settings.bucketName());
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("init.mp4", bytes(700, 1));
        files.put("segment_000.m4s", bytes(4000, 2));
        files.put("segment_001.m4s", bytes(3000, 3));
        files.put("playlist.m3u8", PLAYLIST.getBytes(StandardCharsets.UTF_8));
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            store.put(id, StreamFile.parse(e.getKey()).orElseThrow(), e.getValue());
        }
        return files;
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    /** The sessions of the jobs in the queue (a message carries only its session id). */
    private static List<String> queuedSessions() {
        String url = AwsResources.jobQueueUrl(clients.sqs(), settings);
        List<Message> messages = clients.sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
                .visibilityTimeout(0).waitTimeSeconds(1)).messages();
        JobMessages codec = new JobMessages();
        return messages.stream().map(m -> codec.decode(m.body())).toList();
    }
}
