package ai.lipsync.local;

import ai.lipsync.testing.HlsStreamInspector;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code DELETE /api/stream/{id}} against the running app (espeak-ng, the weights-free engine, FFmpeg,
 * the filesystem store), over HTTP only: a stream cancelled while it is generated ends after its last
 * complete segment, every listed segment plays, and nothing is added afterwards; a queued session
 * never starts; an unknown id is 404 and a finished session 409. One worker, so a second session waits.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "lipsync.queue.workers=1", "lipsync.queue.capacity=4"})
class CancelHttpTest extends RunningAppTest {
    /** About two minutes of speech: the generation takes far longer than the test needs to cancel it. */
    static final String LONG_TEXT = ("This long answer keeps the avatar talking for a good while, so that a listener"
            + " has every reason to interrupt it halfway through the second paragraph. ").repeat(11).strip();

    @Test
    void cancelMidStream_endsThePlaylistAfterItsLastCompleteSegment_andNothingFollows(@TempDir Path download)
            throws Exception {
        double cancelledBefore = cancelledSessions();
        JsonNode started = start(Map.of("text", LONG_TEXT, "lang", "en"));
        String id = started.get("session_id").asText();
        String playlistUrl = started.get("playlist_url").asText();
        awaitSegments(playlistUrl, 2);

        HttpResponse<byte[]> cancel = delete("/api/stream/" + id);

        assertThat(cancel.statusCode()).as(text(cancel)).isEqualTo(200);
        JsonNode answer = JSON.readTree(cancel.body());
        assertThat(answer.get("session_id").asText()).isEqualTo(id);
        assertThat(answer.get("status").asText()).isEqualTo("cancelled");
        String ended = awaitEndList(playlistUrl);
        JsonNode status = JSON.readTree(get(started.get("status_url").asText()).body());
        assertThat(status.get("status").asText()).isEqualTo("cancelled");
        assertThat(status.get("progress").asInt()).as("stopped before the end").isLessThan(100);
        assertThat(status.get("error").isNull()).isTrue();

        List<String> segments = segmentNames(ended);
        Files.writeString(download.resolve("playlist.m3u8"), ended);
        for (String name : concat("init.mp4", segments)) {
            HttpResponse<byte[]> file = get("/stream/" + id + "/" + name);
            assertThat(file.statusCode()).as(name).isEqualTo(200);
            Files.write(download.resolve(name), file.body());
        }
        // Every listed segment is complete and plays: ENDLIST came after the last whole one. (The stream's
        // audio ends up to the AAC encoder's delay early: those samples were still inside the encoder.)
        HlsStreamInspector.assertPlaylistText(ended, true);
        HlsStreamInspector.StreamReport report = new HlsStreamInspector().inspect(download);
        assertThat(report.segments()).hasSize(segments.size());
        assertThat(report.segments()).allSatisfy(segment -> {
            assertThat(segment.startsWithKeyframe()).as(segment.name()).isTrue();
            assertThat(segment.videoFrames()).as(segment.name() + " frames").isEqualTo(25);
            assertThat(segment.extinf()).as(segment.name()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
        });
        assertThat(report.videoCodec()).isEqualTo("h264");
        assertThat(report.audioCodec()).isEqualTo("aac");
        assertThat(report.audioSeconds()).isPositive().isLessThanOrEqualTo(report.videoSeconds());
        assertThat(report.decodeErrors()).isEmpty();
        assertThat(new HlsStreamInspector().decodeErrors(base() + playlistUrl)).isEmpty();

        // The generation has stopped: the next job (one worker) runs to ready, and still nothing was added.
        JsonNode next = start(Map.of("text", "Next question.", "lang", "en"));
        assertThat(pollUntilFinal(next.get("status_url").asText()).get("status").asText()).isEqualTo("ready");
        assertThat(text(get(playlistUrl))).isEqualTo(ended);
        assertThat(get("/stream/" + id + "/" + nextSegment(segments.get(segments.size() - 1))).statusCode())
                .isEqualTo(404);
        assertThat(JSON.readTree(get(started.get("status_url").asText()).body()).get("status").asText())
                .isEqualTo("cancelled");
        assertThat(cancelledSessions() - cancelledBefore).as("lipsync_sessions_total{status=cancelled}")
                .isEqualTo(1);
    }

    @Test
    void cancelOfAQueuedSession_neverStartsIt() throws Exception {
        double cancelledBefore = cancelledSessions();
        JsonNode running = start(Map.of("text", LONG_TEXT, "lang", "en"));
        JsonNode queued = start(Map.of("text", "I wait for my turn.", "lang", "en"));
        String queuedId = queued.get("session_id").asText();

        HttpResponse<byte[]> cancel = delete("/api/stream/" + queuedId);

        assertThat(cancel.statusCode()).as(text(cancel)).isEqualTo(200);
        assertThat(JSON.readTree(cancel.body()).get("status").asText()).isEqualTo("cancelled");
        // Its turn comes once the running one is cancelled too: it must not start then either.
        awaitSegments(running.get("playlist_url").asText(), 1);
        assertThat(delete("/api/stream/" + running.get("session_id").asText()).statusCode()).isEqualTo(200);
        awaitEndList(running.get("playlist_url").asText());
        JsonNode after = start(Map.of("text", "After both.", "lang", "en"));
        assertThat(pollUntilFinal(after.get("status_url").asText()).get("status").asText()).isEqualTo("ready");

        JsonNode status = JSON.readTree(get(queued.get("status_url").asText()).body());
        assertThat(status.get("status").asText()).isEqualTo("cancelled");
        assertThat(status.get("engine").isNull()).as("never claimed by a worker: " + status).isTrue();
        assertThat(status.get("playlist_ready").asBoolean()).isFalse();
        HttpResponse<byte[]> playlist = get(queued.get("playlist_url").asText());
        assertThat(playlist.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(playlist.body()).get("error").asText()).isEqualTo("stream_cancelled");
        assertThat(cancelledSessions() - cancelledBefore).isEqualTo(2);
    }

    @Test
    void cancelOfAnUnknownSession_is404_andOfAMalformedId400() throws Exception {
        HttpResponse<byte[]> unknown = delete("/api/stream/AAAAAAAAAAAAAAAAAAAAAA");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get("error").asText()).isEqualTo("session_not_found");

        HttpResponse<byte[]> malformed = delete("/api/stream/not-an-id");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(malformed.body()).get("error").asText()).isEqualTo("invalid_session_id");
    }

    @Test
    void cancelAfterReady_is409_andTheSessionStaysReady() throws Exception {
        JsonNode started = start(Map.of("text", "Short and done.", "lang", "en"));
        assertThat(pollUntilFinal(started.get("status_url").asText()).get("status").asText()).isEqualTo("ready");

        HttpResponse<byte[]> cancel = delete("/api/stream/" + started.get("session_id").asText());

        assertThat(cancel.statusCode()).isEqualTo(409);
        JsonNode error = JSON.readTree(cancel.body());
        assertThat(error.get("error").asText()).isEqualTo("session_ended");
        assertThat(error.get("message").asText()).contains("ready");
        assertThat(JSON.readTree(get(started.get("status_url").asText()).body()).get("status").asText())
                .isEqualTo("ready");
        // A second cancel of a cancelled session is 409 as well: covered by the queued case's id.
    }

    HttpResponse<byte[]> delete(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path)).DELETE().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Polls the playlist until it lists {@code count} segments; it must not end before that. */
    void awaitSegments(String playlistUrl, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            HttpResponse<byte[]> r = get(playlistUrl);
            if (r.statusCode() == 200) {
                String m3u8 = text(r);
                assertThat(m3u8).as("ended before the cancel").doesNotContain("#EXT-X-ENDLIST");
                if (segmentNames(m3u8).size() >= count) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the playlist never listed " + count + " segments");
    }

    /** Polls the playlist until it ends; returns the ended playlist. */
    String awaitEndList(String playlistUrl) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (System.nanoTime() < deadline) {
            String m3u8 = text(get(playlistUrl));
            if (m3u8.contains("#EXT-X-ENDLIST")) {
                return m3u8;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the playlist of " + playlistUrl + " never ended");
    }

    JsonNode pollUntilFinal(String statusUrl) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            JsonNode status = JSON.readTree(get(statusUrl).body());
            if (List.of("ready", "error", "cancelled").contains(status.get("status").asText())) {
                return status;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no final status at " + statusUrl);
    }

    private double cancelledSessions() throws Exception {
        PrometheusText scrape = new PrometheusText(text(get("/actuator/prometheus")));
        Optional<Double> n = scrape.value("lipsync_sessions_total", Map.of("status", "cancelled"));
        return n.orElse(0.0);
    }

    static List<String> segmentNames(String m3u8) {
        return m3u8.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    /** The name the segment after {@code last} would have (same prefix, number + 1, same width). */
    private static String nextSegment(String last) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(.*?)(\\d+)(\\.m4s)").matcher(last);
        assertThat(m.matches()).as(last).isTrue();
        String digits = m.group(2);
        return m.group(1) + String.format("%0" + digits.length() + "d", Integer.parseInt(digits) + 1) + m.group(3);
    }

    private static List<String> concat(String first, List<String> rest) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(first), rest.stream()).toList();
    }

    static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }
}
