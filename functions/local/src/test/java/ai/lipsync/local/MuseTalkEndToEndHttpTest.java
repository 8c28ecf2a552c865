package ai.lipsync.local;

import ai.lipsync.avatar.AvatarCatalog;
import ai.lipsync.avatar.BlendMask;
import ai.lipsync.avatar.PreparedAvatar;
import ai.lipsync.avatar.PreparedAvatars;
import ai.lipsync.engine.EngineSelection;
import ai.lipsync.musetalk.GoldenGraphs;
import ai.lipsync.testing.BundledFfmpeg;
import ai.lipsync.testing.HlsStreamInspector;
import ai.lipsync.testing.MuseTalkTestAvatars;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole service with the MuseTalk 1.5 engine: the golden-size graphs (real architectures) are
 * exported at test time with the real export CLI into the directory {@code lipsync.models.dir} points
 * at, the app starts, picks MuseTalk, and a session driven over HTTP gives a valid, decodable HLS
 * stream whose pixels changed only under the avatar's blend masks.
 */
@ExtendWith(GoldenGraphs.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MuseTalkEndToEndHttpTest extends RunningAppTest {
    /** Codec noise allowed where nothing was generated: mean absolute difference per channel. */
    private static final double UNTOUCHED_MEAN_TOLERANCE = 2.5;

    @DynamicPropertySource
    static void models(DynamicPropertyRegistry registry) {
        Path out = Path.of("target", "golden-graphs").toAbsolutePath();
        GoldenGraphs.export(List.of("--golden", ai.lipsync.musetalk.Golden.dir().toString(), "--out", out.toString()), out);
        registry.add("lipsync.models.dir", out::toString);
        registry.add("lipsync.models.gpu", () -> "false");
    }

    /** Avatar preparation for the test (the prep helper's store replaces it in the app). */
    @TestConfiguration
    static class Avatars {
        @Bean
        PreparedAvatars preparedAvatars(EngineSelection.Choice engineChoice, AvatarCatalog avatarCatalog) {
            return new MuseTalkTestAvatars(((EngineSelection.UseMuseTalk) engineChoice).models(), avatarCatalog::load, 4,
                    MuseTalkTestAvatars.drawnFaceParser());
        }
    }

    @Autowired
    PreparedAvatars preparedAvatars;

    @Test
    void startToReady_overHttp_streamsMuseTalkFramesThatChangeOnlyUnderTheBlendMask(@TempDir Path download)
            throws Exception {
        JsonNode answer = start(Map.of("text", "Hello! How can I help you?", "lang", "en"));
        String id = answer.get("session_id").asText();

        JsonNode status = pollUntilFinal(answer.get("status_url").asText());
        assertThat(status.get("status").asText()).as(status.toString()).isEqualTo("ready");
        assertThat(status.get("engine").asText()).isEqualTo("musetalk-1.5");

        String m3u8 = new String(get(answer.get("playlist_url").asText()).body(), StandardCharsets.UTF_8);
        Files.writeString(download.resolve("playlist.m3u8"), m3u8);
        List<String> files = new ArrayList<>(List.of("init.mp4"));
        m3u8.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(files::add);
        for (String name : files) {
            HttpResponse<byte[]> file = get("/stream/" + id + "/" + name);
            assertThat(file.statusCode()).as(name).isEqualTo(200);
            Files.write(download.resolve(name), file.body());
        }
        HlsStreamInspector.StreamReport report = new HlsStreamInspector().assertValidStream(download, 25, true);
        assertThat(new HlsStreamInspector().decodeErrors(base() + answer.get("playlist_url").asText())).isEmpty();

        PreparedAvatar avatar = preparedAvatars.get("default", 25);
        List<byte[]> frames = decode(download.resolve("playlist.m3u8"), avatar.avatar().width(), avatar.avatar().height());
        assertThat(frames.size()).isEqualTo(report.segments().stream().mapToInt(HlsStreamInspector.SegmentProbe::videoFrames).sum());
        double mostChanged = 0;
        for (int i = 0; i < frames.size(); i++) {
            int src = avatar.avatar().sourceIndex(i);
            double[] diff = meanDifferences(frames.get(i), avatar.avatar().frames().get(src).data(), avatar.masks().get(src),
                    avatar.avatar().width());
            assertThat(diff[0]).as("frame %d: mean difference outside the blend mask (codec noise only)", i)
                    .isLessThanOrEqualTo(UNTOUCHED_MEAN_TOLERANCE);
            mostChanged = Math.max(mostChanged, diff[1]);
        }
        assertThat(mostChanged).as("largest mean difference under the mask (the generated mouth)")
                .isGreaterThan(4 * UNTOUCHED_MEAN_TOLERANCE);
    }

    /** {mean |decoded - source| where the mask is 0, the same where it is at least 200}. */
    private static double[] meanDifferences(byte[] decoded, byte[] source, BlendMask mask, int width) {
        double outside = 0;
        long outsideCount = 0;
        double inside = 0;
        long insideCount = 0;
        for (int p = 0; p < decoded.length / 3; p++) {
            int x = p % width;
            int y = p / width;
            int m = MuseTalkTestAvatars.maskAt(mask, x, y);
            double d = 0;
            for (int c = 0; c < 3; c++) {
                d += Math.abs((decoded[p * 3 + c] & 0xFF) - (source[p * 3 + c] & 0xFF));
            }
            if (m == 0) {
                outside += d / 3;
                outsideCount++;
            } else if (m >= 200) {
                inside += d / 3;
                insideCount++;
            }
        }
        return new double[] {outside / outsideCount, insideCount == 0 ? 0 : inside / insideCount};
    }

    /** Every frame of the stream as BGR bytes, decoded by ffmpeg. */
    private static List<byte[]> decode(Path playlist, int width, int height) throws Exception {
        Process p = new BundledFfmpeg().ffmpeg(List.of("-nostdin", "-v", "error", "-i", playlist.toString(),
                "-f", "rawvideo", "-pix_fmt", "bgr24", "-")).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<byte[]> frames = new ArrayList<>();
        try (InputStream in = p.getInputStream()) {
            byte[] frame;
            while ((frame = in.readNBytes(width * height * 3)).length == width * height * 3) {
                frames.add(frame);
            }
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return frames;
    }

    private JsonNode pollUntilFinal(String statusUrl) throws Exception {
        long deadline = System.nanoTime() + 600_000_000_000L;
        while (System.nanoTime() < deadline) {
            JsonNode status = JSON.readTree(get(statusUrl).body());
            String s = status.get("status").asText();
            if (s.equals("ready") || s.equals("error")) {
                return status;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the session did not finish");
    }
}
