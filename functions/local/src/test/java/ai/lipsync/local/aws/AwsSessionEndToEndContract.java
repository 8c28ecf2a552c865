package ai.lipsync.local.aws;

import ai.lipsync.aws.testing.StoredStreams;

import ai.lipsync.aws.AwsClients;
import ai.lipsync.aws.AwsResources;
import ai.lipsync.aws.SettingsBinder;
import ai.lipsync.aws.AwsSettings;
import ai.lipsync.aws.session.DynamoDbSessionStore;
import ai.lipsync.aws.storage.S3StreamStore;
import ai.lipsync.aws.testing.AwsBackend;
import ai.lipsync.local.LocalApplication;
import ai.lipsync.session.Session;
import ai.lipsync.session.SessionStatus;
import ai.lipsync.storage.StreamFile;
import ai.lipsync.testing.BundledFfmpeg;
import ai.lipsync.testing.HlsStreamInspector;
import ai.lipsync.worker.WorkerProcess;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole AWS shape on one backend (moto_server on a free port, or LocalStack in a container):
 * the web app in its {@code aws} profile over real HTTP, and a worker in a JVM of its own built
 * from the environment as the GPU container builds it ({@code TestWorkerMain}: the real wiring with
 * an instant speech service). A session started over HTTP is followed over HTTP and in DynamoDB
 * until ready; its S3 objects are checked; the web app's proxied playlist is played by FFmpeg
 * through the presigned URLs it names.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AwsSessionEndToEndContract {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofMinutes(4);
    private static final int FPS = 25;
    private static final String WORKER_ID = "e2e-worker";

    private final AwsBackend backend;
    private final HttpClient http = HttpClient.newHttpClient();
    private Path root;
    private AwsSettings settings;
    private AwsClients clients;
    private DynamoDbSessionStore sessions;
    private ConfigurableApplicationContext app;
    private int port;

    protected AwsSessionEndToEndContract(AwsBackend backend) {
        this.backend = backend;
    }

    @BeforeAll
    void startWebApp(@TempDir Path root) {
        this.root = root;
        settings = backend.freshSettings();
        clients = AwsClients.create(settings, backend.credentials());
        new AwsResources(clients, settings).ensureAll();
        sessions = new DynamoDbSessionStore(clients.dynamoDb(), settings.tableName(), settings.sessionTtl(),
                Clock.systemUTC());
        // Command-line arguments: they outrank application.yml (server.port: ${PORT:8080}).
        List<String> args = new ArrayList<>(List.of("--server.port=0",
                "--lipsync.storage.hls-dir=" + root.resolve("web/static/hls"),
                "--lipsync.storage.data-dir=" + root.resolve("web/data"),
                "--lipsync.avatar.video-dir=" + root.resolve("web/data/video"),
                "--lipsync.avatar.ids=default"));
        awsSettings().forEach((name, value) -> args.add("--" + name + "=" + value));
        app = new SpringApplicationBuilder(LocalApplication.class).profiles("aws").run(args.toArray(String[]::new));
        port = Integer.parseInt(app.getEnvironment().getRequiredProperty("local.server.port"));
    }

    @AfterAll
    void stopWebApp() {
        if (app != null) {
            app.close();
        }
        if (clients != null) {
            clients.close();
        }
    }

    /**
     * What the API and the worker read to find the backend and the resources: the AWS SDK's variables
     * and lipsync.aws.*, the web app's command-line arguments.
     */
    private Map<String, String> awsSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("AWS_ENDPOINT_URL", backend.endpoint().toString());
        settings.put("AWS_REGION", this.settings.region());
        settings.put("lipsync.aws.table", this.settings.tableName());
        settings.put("lipsync.aws.bucket", this.settings.bucketName());
        settings.put("lipsync.aws.queue", this.settings.queueName());
        settings.put("lipsync.aws.dead-letter-queue", this.settings.deadLetterQueueName());
        return settings;
    }

    /** The container's environment: the same resources (LIPSYNC_AWS_TABLE, ...), the worker's own folders, a short poll. */
    private Map<String, String> workerEnvironment() {
        Map<String, String> env = new HashMap<>();
        awsSettings().forEach((name, value) -> env.put(
                name.startsWith("lipsync.") ? SettingsBinder.environmentName(name) : name, value));
        env.put("AWS_ACCESS_KEY_ID", "test");
        env.put("AWS_SECRET_ACCESS_KEY", "test");
        env.put("LIPSYNC_WORKER_ID", WORKER_ID);
        env.put("LIPSYNC_WORKER_POLLWAIT", "1s");
        env.put("LIPSYNC_WORKER_SHUTDOWNGRACE", "30s");
        env.put("LIPSYNC_STORAGE_DATADIR", root.resolve("worker/data").toString());
        env.put("LIPSYNC_AVATAR_VIDEODIR", root.resolve("worker/video").toString());
        env.put("LIPSYNC_AVATAR_PREPAREDDIR", root.resolve("worker/prepared").toString());
        // 4 s of speech, and a pause after each published segment so a status poll sees the work under way.
        env.put("TEST_SPEECH_SECONDS", "4");
        env.put("TEST_SEGMENT_PACE_MS", "300");
        return env;
    }

    @Test
    void sessionStartedOverHttp_isGeneratedByAWorkerProcessIntoS3AndPlaysThroughTheProxiedPlaylist() throws Exception {
        HttpResponse<byte[]> started = post("/api/stream/start",
                "{\"text\":\"Hello from the whole AWS shape.\",\"lang\":\"en\"}");
        assertThat(started.statusCode()).as(text(started)).isEqualTo(201);
        String id = JSON.readTree(started.body()).get("session_id").asText();
        List<JsonNode> answered = new ArrayList<>();
        List<Session> stored = new ArrayList<>();
        answered.add(status(id));
        stored.add(sessions.find(id).orElseThrow());

        try (WorkerProcess worker = WorkerProcess.start(workerEnvironment(), root.resolve("worker.log"))) {
            follow(id, answered, stored, worker);

            assertThat(answered.stream().map(s -> s.get("status").asText()).distinct().toList())
                    .as("statuses answered over HTTP").containsExactly("created", "processing", "ready");
            assertThat(answered.stream().map(s -> s.get("progress").asInt()).toList())
                    .as("progress over HTTP never goes back").isSorted();
            assertThat(stored.stream().map(Session::status).distinct().toList()).as("DynamoDB record's statuses")
                    .containsExactly(SessionStatus.CREATED, SessionStatus.PROCESSING, SessionStatus.READY);
            assertThat(stored.stream().map(Session::progress).toList()).as("progress in DynamoDB never goes back")
                    .isSorted();
            Session done = stored.get(stored.size() - 1);
            assertThat(done.progress()).isEqualTo(100);
            assertThat(done.workerId()).isEqualTo(WORKER_ID);
            JsonNode last = answered.get(answered.size() - 1);
            assertThat(last.get("progress").asInt()).isEqualTo(100);
            assertThat(last.get("engine").asText()).isEqualTo(done.engine());

            Path s3 = root.resolve("s3");
            Map<String, byte[]> objects = downloadStream(id, s3);
            assertThat(objects).containsKeys(StreamFile.PLAYLIST, StreamFile.INIT, "segment_000.m4s",
                    "segment_003.m4s", StreamFile.TTS_AUDIO);
            HlsStreamInspector.StreamReport report = new HlsStreamInspector().assertValidStream(s3, FPS, true);

            String playlistUrl = "http://127.0.0.1:" + port + "/stream/" + id + "/playlist.m3u8";
            HttpResponse<byte[]> proxied = get(playlistUrl);
            assertThat(proxied.statusCode()).isEqualTo(200);
            assertThat(proxied.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("application/vnd.apple.mpegurl"));
            Map<String, URI> links = links(text(proxied));
            assertThat(links.keySet()).as("every object the playlist names, rewritten")
                    .containsExactlyInAnyOrderElementsOf(objects.keySet().stream()
                            .filter(n -> !n.equals(StreamFile.PLAYLIST) && !n.equals(StreamFile.TTS_AUDIO)).toList());
            for (Map.Entry<String, URI> link : links.entrySet()) {
                URI uri = link.getValue();
                assertThat(uri.getAuthority()).isEqualTo(backend.endpoint().getAuthority());
                assertThat(uri.getPath()).isEqualTo("/" + settings.bucketName() + "/"
                        + S3StreamStore.key(id, StreamFile.parse(link.getKey()).orElseThrow()));
                assertThat(uri.getQuery()).contains("X-Amz-Signature=", "X-Amz-Expires=");
                HttpResponse<byte[]> fetched = get(uri.toString());
                assertThat(fetched.statusCode()).as("GET %s", uri).isEqualTo(200);
                assertThat(fetched.body()).as("%s through its presigned URL", link.getKey())
                        .isEqualTo(objects.get(link.getKey()));
            }

            // FFmpeg plays the web app's playlist as a player does: every segment through its presigned URL.
            assertThat(new HlsStreamInspector().decodeErrors(playlistUrl)).as("ffmpeg decode errors").isEmpty();
            int frames = report.segments().stream().mapToInt(HlsStreamInspector.SegmentProbe::videoFrames).sum();
            assertThat(decodedVideoFrames(playlistUrl)).as("video frames decoded through the proxied playlist")
                    .isEqualTo(frames);

            // 143: the JVM's status after SIGTERM once its shutdown hook (the worker's orderly stop) returned.
            worker.terminate();
            assertThat(worker.waitFor(60)).as("worker exit status on SIGTERM; its output:\n%s", worker.output())
                    .isEqualTo(143);
            assertThat(worker.output()).contains("job done: ready", "] stopped");
        }
    }

    /** Polls the status over HTTP and the record in DynamoDB until both are final, recording each. */
    private void follow(String id, List<JsonNode> answered, List<Session> stored, WorkerProcess worker)
            throws Exception {
        long end = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            JsonNode answer = status(id);
            Session record = sessions.find(id).orElseThrow();
            answered.add(answer);
            stored.add(record);
            String answeredStatus = answer.get("status").asText();
            if (record.status().isFinal() && (answeredStatus.equals("ready") || answeredStatus.equals("error"))) {
                assertThat(record.status()).as("%s; worker output:\n%s", record, worker.output())
                        .isEqualTo(SessionStatus.READY);
                return;
            }
            if (System.nanoTime() > end || !worker.isAlive()) {
                throw new AssertionError("session " + id + (worker.isAlive() ? " not ready within " + TIMEOUT
                        : " not ready and its worker exited") + "; last record " + record + "; worker output:\n"
                        + worker.output());
            }
            Thread.sleep(50);
        }
    }

    /** Every object under the session's prefix, asserting each one's Content-Type and Cache-Control. */
    private Map<String, byte[]> downloadStream(String id, Path dir) throws Exception {
        return StoredStreams.download(clients.s3(), settings.bucketName(), id, dir);
    }

    /** The object name each URI of the playlist stands for (EXT-X-MAP and segment lines). */
    private static Map<String, URI> links(String playlist) {
        Map<String, URI> links = new LinkedHashMap<>();
        for (String line : playlist.lines().toList()) {
            String uri = null;
            if (line.startsWith("#EXT-X-MAP:URI=\"")) {
                uri = line.substring(16, line.indexOf('"', 16));
            } else if (!line.isBlank() && !line.startsWith("#")) {
                uri = line.trim();
            }
            if (uri != null) {
                URI parsed = URI.create(uri);
                String path = parsed.getPath();
                links.put(path.substring(path.lastIndexOf('/') + 1), parsed);
            }
        }
        return links;
    }

    private static int decodedVideoFrames(String playlistUrl) throws Exception {
        Process p = new BundledFfmpeg().ffprobe(List.of("-v", "error", "-count_frames", "-select_streams", "v:0",
                "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", playlistUrl)).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("ffprobe finished").isTrue();
        assertThat(err).as("ffprobe errors").isBlank();
        // An HLS input lists its video stream twice: under its program and on its own.
        return out.lines().filter(l -> !l.isBlank()).map(l -> Integer.parseInt(l.trim())).distinct()
                .reduce((a, b) -> {
                    throw new AssertionError("ffprobe counted different frame numbers: " + out);
                }).orElseThrow(() -> new AssertionError("ffprobe counted no frames: " + err));
    }

    private JsonNode status(String id) throws Exception {
        HttpResponse<byte[]> answer = get("http://127.0.0.1:" + port + "/api/stream/status/" + id);
        assertThat(answer.statusCode()).as(text(answer)).isEqualTo(200);
        assertThat(answer.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
        return JSON.readTree(answer.body());
    }

    private HttpResponse<byte[]> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }
}
