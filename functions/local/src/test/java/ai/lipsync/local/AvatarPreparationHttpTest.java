package ai.lipsync.local;

import ai.lipsync.musetalk.GoldenGraphs;
import ai.lipsync.testing.TestAudio;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Avatar preparation over real HTTP in the running app with the MuseTalk engine (the golden graphs
 * and the DWPose stand-in exported at test time): a name and an upload go preparing -> ready, a
 * faceless video ends in error with its reason, bad requests get 4xx JSON.
 */
@ExtendWith(GoldenGraphs.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AvatarPreparationHttpTest extends RunningAppTest {

    @DynamicPropertySource
    static void models(DynamicPropertyRegistry registry) throws Exception {
        Path out = Path.of("target", "golden-graphs").toAbsolutePath();
        GoldenGraphs.export(List.of("--golden", ai.lipsync.musetalk.Golden.dir().toString(), "--out", out.toString()), out);
        registry.add("lipsync.models.dir", out::toString);
        registry.add("lipsync.models.gpu", () -> "false");
        registry.add("lipsync.avatar.prepared-dir", () -> root.resolve("results/webapp/avatar").toString());
        registry.add("lipsync.avatar.max-seconds", () -> "0.12");
        registry.add("lipsync.avatar.max-long-side", () -> "360");
        Path videos = root.resolve("data/video");
        Files.createDirectories(videos);
        Path sun = TestAudio.sharedMedia("sun.mp4");
        if (Files.exists(sun) && !Files.exists(videos.resolve("sun.mp4"))) {
            Files.copy(sun, videos.resolve("sun.mp4"));
        }
    }

    private HttpResponse<byte[]> post(String type, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + "/api/avatars")).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static JsonNode json(HttpResponse<byte[]> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private JsonNode follow(String statusUrl) throws Exception {
        long deadline = System.nanoTime() + 10L * 60 * 1_000_000_000L;
        List<Integer> progress = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            HttpResponse<byte[]> r = get(statusUrl);
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode s = json(r);
            progress.add(s.get("progress").asInt());
            if (!s.get("status").asText().equals("preparing")) {
                assertThat(progress).isSorted();
                return s;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no end of preparation at " + statusUrl);
    }

    static byte[] form(String fileName, byte[] video, String name) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("--b0undary\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\n" + name + "\r\n")
                .getBytes(StandardCharsets.UTF_8));
        out.writeBytes(("--b0undary\r\nContent-Disposition: form-data; name=\"video\"; filename=\"" + fileName
                + "\"\r\nContent-Type: video/mp4\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(video);
        out.writeBytes("\r\n--b0undary--\r\n".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    @Test
    void postName_thenStatus_goesFromPreparingToReady() throws Exception {
        Assumptions.assumeTrue(Files.exists(root.resolve("data/video/sun.mp4")), "shared media sun.mp4 is absent");
        HttpResponse<byte[]> started = post("application/json", "{\"name\":\"sun.mp4\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(started.statusCode()).as(new String(started.body(), StandardCharsets.UTF_8)).isEqualTo(202);
        assertThat(json(started).get("status").asText()).isEqualTo("preparing");
        JsonNode done = follow(json(started).get("status_url").asText());
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("ready");
        assertThat(done.get("frames").asInt()).isEqualTo(3);
        assertThat(root.resolve("results/webapp/avatar/sun/avatar.json")).exists();
    }

    @Test
    void aPreparedAvatar_animatesASessionWithTheMuseTalkEngine() throws Exception {
        Assumptions.assumeTrue(Files.exists(root.resolve("data/video/sun.mp4")), "shared media sun.mp4 is absent");
        HttpResponse<byte[]> started = post("application/json", "{\"name\":\"sun\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(follow(json(started).get("status_url").asText()).get("status").asText()).isEqualTo("ready");

        JsonNode session = start(java.util.Map.of("text", "Hello there.", "lang", "en", "avatar", "sun"));
        JsonNode status = null;
        long deadline = System.nanoTime() + 10L * 60 * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            status = JSON.readTree(get(session.get("status_url").asText()).body());
            if (status.get("status").asText().equals("ready") || status.get("status").asText().equals("error")) {
                break;
            }
            Thread.sleep(200);
        }

        assertThat(status.get("status").asText()).as(status.toString()).isEqualTo("ready");
        assertThat(status.get("engine").asText()).isEqualTo("musetalk-1.5");
        assertThat(status.get("avatar").asText()).isEqualTo("sun");
    }

    @Test
    void postUpload_storesTheVideoAndPreparesIt() throws Exception {
        Assumptions.assumeTrue(Files.exists(root.resolve("data/video/sun.mp4")), "shared media sun.mp4 is absent");
        byte[] video = Files.readAllBytes(root.resolve("data/video/sun.mp4"));

        HttpResponse<byte[]> started = post("multipart/form-data; boundary=b0undary", form("clip.mp4", video, "lena"));

        assertThat(started.statusCode()).as(new String(started.body(), StandardCharsets.UTF_8)).isEqualTo(202);
        assertThat(started.headers().firstValue("Location")).hasValue("/api/avatars/lena");
        assertThat(root.resolve("data/video/lena.mp4")).hasBinaryContent(video);
        assertThat(follow("/api/avatars/lena").get("status").asText()).isEqualTo("ready");
    }

    @Test
    void badRequests_get4xxJson() throws Exception {
        List<HttpResponse<byte[]>> answers = List.of(
                post("application/json", "{\"name\":\"../../etc/passwd\"}".getBytes(StandardCharsets.UTF_8)),
                post("application/json", "{\"name\":\"ghost\"}".getBytes(StandardCharsets.UTF_8)),
                post("multipart/form-data; boundary=b0undary", form("notes.mp4", "plain text".getBytes(StandardCharsets.UTF_8), "notes")),
                post("multipart/form-data; boundary=b0undary", form("../x.mp4", new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'}, "x")),
                post("text/plain", "hello".getBytes(StandardCharsets.UTF_8)));

        assertThat(answers).extracting(HttpResponse::statusCode).containsExactly(400, 404, 415, 400, 415);
        for (HttpResponse<byte[]> r : answers) {
            JsonNode body = json(r);
            assertThat(body.get("error").asText()).isNotBlank();
            assertThat(body.get("message").asText()).isNotBlank();
        }
        assertThat(get("/api/avatars/nobody").statusCode()).isEqualTo(404);
        assertThat(root.resolve("data/video/notes.mp4")).doesNotExist();
    }
}
