package ai.lipsync.local;

import ai.lipsync.session.SessionIds;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The folders a killed process left (stream, tts.mp3, encoder work folder) are swept when the app
 * starts, before the first request, if older than {@code lipsync.retention.keep}; younger ones and
 * folders not named as a session's stay. The scheduled sweep is an hour away: only the startup one ran.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "lipsync.retention.keep=1h", "lipsync.retention.sweep-interval=1h"})
class OrphanSweepAtStartupHttpTest extends RunningAppTest {
    private static List<Path> old;
    private static List<Path> young;
    private static Path foreign;

    /** Runs before the app starts: the folders are there when it does. */
    @DynamicPropertySource
    static void leftByAKilledProcess(DynamicPropertyRegistry registry) {
        SessionIds ids = SessionIds.create();
        old = OrphanFolders.leave(root, ids.next(), Duration.ofHours(2));
        young = OrphanFolders.leave(root, ids.next(), Duration.ofMinutes(50));
        foreign = OrphanFolders.folder(root.resolve("static/hls/my-notes"), "todo.txt",
                java.time.Instant.now().minus(Duration.ofDays(3)));
    }

    @Test
    void atStartup_oldFoldersOfUnknownSessionsAreGone_andTheRestStays() throws Exception {
        assertThat(old).allSatisfy(p -> assertThat(p).doesNotExist());
        assertThat(young).allSatisfy(p -> assertThat(p).exists());
        assertThat(foreign.resolve("todo.txt")).exists();

        String id = start(Map.of("text", "Hi.", "lang", "en")).get("session_id").asText();
        assertThat(get("/api/stream/status/" + id).statusCode()).as("the app serves").isEqualTo(200);
    }
}
