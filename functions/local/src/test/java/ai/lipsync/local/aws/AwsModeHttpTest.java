package ai.lipsync.local.aws;

import ai.lipsync.aws.AwsClients;
import ai.lipsync.aws.AwsResources;
import ai.lipsync.aws.AwsSettings;
import ai.lipsync.aws.queue.JobMessages;
import ai.lipsync.aws.session.DynamoDbSessionStore;
import ai.lipsync.aws.storage.S3StreamStore;
import ai.lipsync.aws.testing.MotoServer;
import ai.lipsync.local.LocalApplication;
import ai.lipsync.local.TestDirectories;
import ai.lipsync.pipeline.GenerationPipeline;
import ai.lipsync.session.JobHandler;
import ai.lipsync.session.JobQueue;
import ai.lipsync.session.Session;
import ai.lipsync.session.SessionStatus;
import ai.lipsync.session.SessionStore;
import ai.lipsync.storage.StreamFile;
import ai.lipsync.storage.StreamStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web app with the {@code aws} profile against moto_server: the API over real HTTP on
 * DynamoDB, SQS and S3, no worker in the JVM, playlists proxied with presigned S3 URLs.
 */
@SpringBootTest(classes = LocalApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("aws")
class AwsModeHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PLAYLIST = "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:1\n#EXT-X-MAP:URI=\"init.mp4\"\n"
            + "#EXTINF:1.000000,\nsegment_000.m4s\n#EXT-X-ENDLIST\n";
    @TempDir
    static Path root;
    private static MotoServer moto;
    private static AwsSettings settings;
    private static AwsClients clients;

    private final HttpClient http = HttpClient.newHttpClient();
    @LocalServerPort
    int port;
    @Autowired
    ApplicationContext context;

    @DynamicPropertySource
    static void aws(DynamicPropertyRegistry registry) {
        TestDirectories.register(registry, root);
        moto = MotoServer.start();
        settings = moto.freshSettings();
        clients = AwsClients.create(settings, moto.credentials());
        new AwsResources(clients, settings).ensureAll();
        // The names the app reads from its environment; Spring takes properties of the same name too.
        registry.add("AWS_ENDPOINT_URL", () -> moto.endpoint().toString());
        registry.add("AWS_REGION", settings::region);
        registry.add("lipsync.aws.table", settings::tableName);
        registry.add("lipsync.aws.bucket", settings::bucketName);
        registry.add("lipsync.aws.queue", settings::queueName);
        registry.add("lipsync.aws.dead-letter-queue", settings::deadLetterQueueName);
        registry.add("lipsync.avatar.ids", () -> "default,anna");
    }

    @AfterAll
    static void stop() {
        if (clients != null) {
            clients.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    private static DynamoDbSessionStore sessions() {
        return new DynamoDbSessionStore(clients.dynamoDb(), settings.tableName(), settings.sessionTtl(), Clock.systemUTC());
    }

    private HttpResponse<byte[]> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/stream/start"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private String start() throws Exception {
        HttpResponse<byte[]> started = post("{\"text\":\"Сәлем, әлем!\",\"lang\":\"kk\",\"avatar\":\"anna\"}");
        assertThat(started.statusCode()).as(new String(started.body(), StandardCharsets.UTF_8)).isEqualTo(201);
        return JSON.readTree(started.body()).get("session_id").asText();
    }

    @Test
    void context_wiresTheAwsAdaptersAndNoInProcessWorker() {
        assertThat(context.getBean(SessionStore.class)).isInstanceOf(DynamoDbSessionStore.class);
        assertThat(context.getBean(StreamStore.class)).isInstanceOf(S3StreamStore.class);
        assertThat(context.getBeansOfType(JobQueue.class).values()).singleElement()
                .isInstanceOf(ai.lipsync.aws.queue.SqsJobQueue.class);
        assertThat(context.getBeansOfType(JobHandler.class)).isEmpty();
        assertThat(context.getBeansOfType(GenerationPipeline.class)).isEmpty();
    }

    @Test
    void start_recordsTheSessionInDynamoDbAndQueuesItsJobOnSqs() throws Exception {
        HttpResponse<byte[]> started = post("{\"text\":\"Hello from the web app\",\"lang\":\"en\"}");

        assertThat(started.statusCode()).isEqualTo(201);
        assertThat(started.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
        JsonNode body = JSON.readTree(started.body());
        String id = body.get("session_id").asText();
        assertThat(body.get("status").asText()).isEqualTo("created");
        Session stored = sessions().find(id).orElseThrow();
        assertThat(stored.status()).isEqualTo(SessionStatus.CREATED);
        assertThat(stored.text()).isEqualTo("Hello from the web app");
        assertThat(queuedSessions()).contains(id);
    }

    @Test
    void status_answersWhatTheWorkerWroteToDynamoDb() throws Exception {
        String id = start();
        Instant now = Instant.now();
        sessions().update(id, s -> s.processing("weights-free", now).withProgress(55, now));

        HttpResponse<byte[]> status = get("/api/stream/status/" + id);

        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
        JsonNode body = JSON.readTree(status.body());
        assertThat(body.get("status").asText()).isEqualTo("processing");
        assertThat(body.get("progress").asInt()).isEqualTo(55);
        assertThat(body.get("lang").asText()).isEqualTo("kk");
        assertThat(body.get("avatar").asText()).isEqualTo("anna");
    }

    @Test
    void badRequestsAndUnknownIds_getTheSame4xxAsTheEmbeddedDefault() throws Exception {
        HttpResponse<byte[]> badJson = post("{\"text\": ");
        HttpResponse<byte[]> unknownAvatar = post("{\"text\":\"hi\",\"lang\":\"en\",\"avatar\":\"bob\"}");
        HttpResponse<byte[]> unknown = get("/api/stream/status/AAAAAAAAAAAAAAAAAAAAAA");
        HttpResponse<byte[]> malformed = get("/api/stream/status/nope");

        assertThat(badJson.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badJson.body()).get("error").asText()).isEqualTo("invalid_json");
        assertThat(unknownAvatar.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(unknownAvatar.body()).get("error").asText()).isEqualTo("unknown_avatar");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get("error").asText()).isEqualTo("session_not_found");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(List.of(badJson, unknownAvatar, unknown, malformed))
                .allSatisfy(r -> assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).contains("*"));
    }

    /** moto serves any well-formed presigned GET without checking its signature or expiry (README). */
    @Test
    void avatarPreparation_isNotOfferedByTheWebApp_andAnswers503Json() throws Exception {
        // On AWS the GPU worker prepares avatars on first use; the web app has no models to do it with.
        HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/api/avatars")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"sun.mp4\"}")).build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
        assertThat(JSON.readTree(answer.body()).get("message").asText()).isNotBlank();
    }

    @Test
    void playlist_isProxiedWithPresignedUrlsThatFetchTheS3Objects() throws Exception {
        String id = start();
        S3StreamStore store = new S3StreamStore(clients.s3(), settings.bucketName());
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("init.mp4", "init-bytes".getBytes(StandardCharsets.UTF_8));
        files.put("segment_000.m4s", "segment-bytes-0".getBytes(StandardCharsets.UTF_8));
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            store.put(id, StreamFile.parse(e.getKey()).orElseThrow(), e.getValue());
        }
        store.put(id, StreamFile.parse(StreamFile.PLAYLIST).orElseThrow(), PLAYLIST.getBytes(StandardCharsets.UTF_8));

        HttpResponse<byte[]> playlist = get("/stream/" + id + "/playlist.m3u8");

        assertThat(playlist.statusCode()).isEqualTo(200);
        assertThat(playlist.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/vnd.apple.mpegurl"));
        String text = new String(playlist.body(), StandardCharsets.UTF_8);
        assertThat(text).startsWith("#EXTM3U\n").endsWith("#EXT-X-ENDLIST\n");
        String initUrl = text.substring(text.indexOf("URI=\"") + 5, text.indexOf('"', text.indexOf("URI=\"") + 5));
        String segmentUrl = text.lines().filter(l -> l.startsWith("http")).findFirst().orElseThrow();
        for (Map.Entry<String, String> e : Map.of("init.mp4", initUrl, "segment_000.m4s", segmentUrl).entrySet()) {
            URI uri = URI.create(e.getValue());
            assertThat(uri.getAuthority()).isEqualTo(moto.endpoint().getAuthority());
            assertThat(uri.getPath()).isEqualTo("/" + settings.bucketName() + "/hls/" + id + "/" + e.getKey());
            assertThat(uri.getQuery()).contains("X-Amz-Signature=").contains("X-Amz-Expires=3600");
            HttpResponse<byte[]> fetched = http.send(HttpRequest.newBuilder(uri).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(fetched.statusCode()).isEqualTo(200);
            assertThat(fetched.body()).isEqualTo(files.get(e.getKey()));
        }
    }

    /** The sessions of the jobs in the queue (a message carries only its session id). */
    private static List<String> queuedSessions() {
        String url = AwsResources.jobQueueUrl(clients.sqs(), settings);
        JobMessages codec = new JobMessages();
        return clients.sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(0)
                .waitTimeSeconds(1)).messages().stream().map(m -> codec.decode(m.body())).toList();
    }
}
