package ai.lipsync.local;

import ai.lipsync.session.SessionIds;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The running janitor sweeps folders of sessions the process does not know once they are older than
 * {@code lipsync.retention.keep}; a live session's folders stay however old their files look.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "lipsync.retention.keep=1h", "lipsync.retention.sweep-interval=200ms"})
class OrphanSweepHttpTest extends RunningAppTest {

    @Test
    void janitor_removesOldOrphans_keepsYoungOnesAndALiveSessionsFolders() throws Exception {
        String live = start(Map.of("text", "Hi.", "lang", "en")).get("session_id").asText();
        awaitReady(live);
        Path liveStream = root.resolve("static/hls").resolve(live);
        Path liveAudio = root.resolve("data/audio").resolve(live);
        assertThat(liveStream.resolve("playlist.m3u8")).exists();
        OrphanFolders.age(liveStream, Instant.now().minus(Duration.ofHours(2)));
        OrphanFolders.age(liveAudio, Instant.now().minus(Duration.ofHours(2)));
        SessionIds ids = SessionIds.create();
        List<Path> old = OrphanFolders.leave(root, ids.next(), Duration.ofHours(2));
        List<Path> young = OrphanFolders.leave(root, ids.next(), Duration.ofMinutes(50));

        long deadline = System.nanoTime() + 60_000_000_000L;
        while (old.stream().anyMatch(Files::exists) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }

        assertThat(old).allSatisfy(p -> assertThat(p).doesNotExist());
        assertThat(young).allSatisfy(p -> assertThat(p).exists());
        assertThat(liveStream.resolve("playlist.m3u8")).exists();
        assertThat(liveAudio.resolve("tts.mp3")).exists();
        assertThat(get("/stream/" + live + "/playlist.m3u8").statusCode()).isEqualTo(200);
    }

    private void awaitReady(String id) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        String status;
        do {
            Thread.sleep(100);
            JsonNode body = JSON.readTree(get("/api/stream/status/" + id).body());
            status = body.get("status").asText();
        } while (!status.equals("ready") && !status.equals("error") && System.nanoTime() < deadline);
        assertThat(status).isEqualTo("ready");
    }
}
