package ai.lipsync.local;

import ai.lipsync.testing.HlsStreamInspector;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.context.SpringBootTest;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole service on one machine: the real app (espeak-ng, weights-free engine, FFmpeg, the
 * filesystem store) driven only over HTTP, start -> status -> playlist -> every segment, in each
 * language, then checked with ffprobe and decoded by ffmpeg straight from the server.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EndToEndHttpTest extends RunningAppTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "ru | Привет! Я ваш виртуальный помощник. Чем могу помочь?",
            "kk | Сәлеметсіз бе! Мен сіздің виртуалды көмекшіңізбін.",
            "en | Hello! I am your virtual assistant. How can I help you today?"})
    void startStatusPlaylistSegments_overHttp_giveAPlayableStream(String lang, String text, @TempDir Path download)
            throws Exception {
        JsonNode answer = start(Map.of("text", text, "lang", lang));
        String id = answer.get("session_id").asText();

        JsonNode status = pollUntilFinal(answer.get("status_url").asText());
        assertThat(status.get("status").asText()).as(status.toString()).isEqualTo("ready");
        assertThat(status.get("progress").asInt()).isEqualTo(100);
        assertThat(status.get("playlist_ready").asBoolean()).isTrue();
        assertThat(status.get("engine").asText()).isEqualTo("weights-free");
        assertThat(status.get("error").isNull()).isTrue();

        HttpResponse<byte[]> playlist = get(answer.get("playlist_url").asText());
        assertThat(playlist.statusCode()).isEqualTo(200);
        assertThat(playlist.headers().firstValue("Content-Type")).hasValue("application/vnd.apple.mpegurl");
        assertThat(playlist.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        String m3u8 = new String(playlist.body(), StandardCharsets.UTF_8);
        Files.writeString(download.resolve("playlist.m3u8"), m3u8);
        List<String> files = new ArrayList<>(List.of("init.mp4"));
        m3u8.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(files::add);
        assertThat(files).hasSizeGreaterThan(2);
        for (String name : files) {
            HttpResponse<byte[]> file = get("/stream/" + id + "/" + name);
            assertThat(file.statusCode()).as(name).isEqualTo(200);
            assertThat(file.headers().firstValue("Content-Type"))
                    .hasValue(name.equals("init.mp4") ? "video/mp4" : "video/iso.segment");
            assertThat(file.body()).as(name).isNotEmpty();
            Files.write(download.resolve(name), file.body());
        }

        HlsStreamInspector.StreamReport report = new HlsStreamInspector().assertValidStream(download, 25, true);
        assertThat(report.segments()).hasSize(files.size() - 1);
        assertThat(new HlsStreamInspector().decodeErrors(base() + answer.get("playlist_url").asText()))
                .as("ffmpeg decoding the playlist over HTTP").isEmpty();
    }

    /**
     * Consecutive requests of very different lengths in every language, queued together: each one
     * ends ready, and each stream decodes cleanly over HTTP.
     */
    @org.junit.jupiter.api.Test
    void manySessionsQueuedTogether_allEndReadyWithCleanStreams() throws Exception {
        String ru = "Это длинный ответ ассистента, который проверяет, что сервис выдерживает длинные тексты. ";
        String kk = "Бұл көмекшінің ұзын жауабы, ол қызметтің ұзын мәтіндерге төтеп беретінін тексереді. ";
        String en = "This is a long answer from the assistant that checks the service copes with long texts. ";
        List<Map<String, String>> requests = List.of(
                Map.of("text", "Да.", "lang", "ru"), Map.of("text", ru, "lang", "ru"), Map.of("text", ru.repeat(4), "lang", "ru"),
                Map.of("text", "Иә.", "lang", "kk"), Map.of("text", kk, "lang", "kk"), Map.of("text", kk.repeat(4), "lang", "kk"),
                Map.of("text", "Yes.", "lang", "en"), Map.of("text", en, "lang", "en"), Map.of("text", en.repeat(4), "lang", "en"));
        List<JsonNode> started = new ArrayList<>();
        for (Map<String, String> request : requests) {
            started.add(start(request));
        }
        HlsStreamInspector decoder = new HlsStreamInspector();
        for (JsonNode answer : started) {
            JsonNode status = pollUntilFinal(answer.get("status_url").asText());
            assertThat(status.get("status").asText()).as(status.toString()).isEqualTo("ready");
            String playlist = new String(get(answer.get("playlist_url").asText()).body(), StandardCharsets.UTF_8);
            HlsStreamInspector.assertPlaylistText(playlist, true);
            assertThat(decoder.decodeErrors(base() + answer.get("playlist_url").asText())).as(status.toString()).isEmpty();
        }
    }

    /**
     * Twenty sessions one after another through the running app: all end ready, and the JVM holds
     * no more threads or open files afterwards than after the warm-up (a leak per session would
     * show as 20 more). The small slack covers pools that grow on demand (Tomcat, HttpClient).
     */
    @org.junit.jupiter.api.Test
    void twentyConsecutiveSessions_allReady_withoutThreadOrFileGrowth() throws Exception {
        String[][] texts = {{"ru", "Добрый день."}, {"kk", "Қайырлы күн."}, {"en", "Good afternoon."}};
        for (int i = 0; i < 2; i++) {
            runToReady(texts[i % 3]);
        }
        int threadsBefore = Thread.activeCount();
        long filesBefore = openFileCount();
        for (int i = 0; i < 20; i++) {
            runToReady(texts[i % 3]);
        }
        assertThat(Thread.activeCount()).as("live threads").isLessThanOrEqualTo(threadsBefore + 3);
        assertThat(openFileCount()).as("open file descriptors").isLessThanOrEqualTo(filesBefore + 3);
    }

    private void runToReady(String[] langAndText) throws Exception {
        JsonNode answer = start(Map.of("lang", langAndText[0], "text", langAndText[1]));
        JsonNode status = pollUntilFinal(answer.get("status_url").asText());
        assertThat(status.get("status").asText()).as(status.toString()).isEqualTo("ready");
    }

    private static long openFileCount() throws java.io.IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    /** Polls like a client; progress must never go backwards on the way. */
    private JsonNode pollUntilFinal(String statusUrl) throws Exception {
        long deadline = System.nanoTime() + 300_000_000_000L;
        int lastProgress = 0;
        JsonNode status = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<byte[]> r = get(statusUrl);
            assertThat(r.statusCode()).isEqualTo(200);
            status = JSON.readTree(r.body());
            int progress = status.get("progress").asInt();
            assertThat(progress).as("progress is monotonic").isGreaterThanOrEqualTo(lastProgress);
            lastProgress = progress;
            String s = status.get("status").asText();
            if (s.equals("ready") || s.equals("error")) {
                return status;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the session did not finish; last status " + status);
    }
}
