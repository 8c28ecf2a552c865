package ai.lipsync.worker;

import ai.lipsync.aws.testing.MotoExtension;
import ai.lipsync.aws.testing.MotoServer;
import ai.lipsync.musetalk.Golden;
import ai.lipsync.musetalk.GoldenGraphs;
import ai.lipsync.session.Session;
import ai.lipsync.session.SessionStatus;
import ai.lipsync.testing.HlsStreamInspector;
import ai.lipsync.testing.ModelDirs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The worker chooses MuseTalk 1.5 as the embedded default does: with the golden-size graphs (real
 * architectures, random weights) exported at test time by the real export CLI into the directory
 * {@code LIPSYNC_MODELS_DIR} names, a job taken from SQS on moto ends ready as musetalk-1.5 with a
 * decodable stream in S3; a corrupt export stops the worker at startup naming the file.
 * Skipped (naming the case) when the golden directory is absent.
 */
@ExtendWith({GoldenGraphs.class, MotoExtension.class})
class WorkerMuseTalkMotoTest {
    private static final Duration LONG = Duration.ofMinutes(5);
    private static Path models;
    private final MotoServer moto;

    @TempDir
    Path root;

    WorkerMuseTalkMotoTest(MotoServer moto) {
        this.moto = moto;
    }

    @BeforeAll
    static void exportGoldenGraphs() {
        models = Path.of("target", "golden-graphs").toAbsolutePath();
        GoldenGraphs.export(List.of("--golden", Golden.dir().toString(), "--out", models.toString()), models);
    }

    /** CPU, and a 3-frame default avatar: the preparation (DWPose, bisenet, vae_encode) stays quick on 2 cores. */
    private static Map<String, String> museTalk(Path dir) {
        return Map.of("LIPSYNC_MODELS_DIR", dir.toString(), "LIPSYNC_MODELS_GPU", "false",
                "LIPSYNC_AVATAR_MAXSECONDS", "0.12");
    }

    @Test
    void withExportedModels_jobFromSqs_endsReadyAsMuseTalkWithADecodableStreamInS3() throws Exception {
        try (AwsStack aws = new AwsStack(moto, root, 3)) {
            String id = aws.api.start("Hello from MuseTalk on the cloud worker.", "en", null).id();
            aws.startWorker("mt", 1.2, museTalk(models));

            Session done = last(aws.watch(id, s -> s.status().isFinal(), LONG));

            assertThat(done.status()).as(String.valueOf(done.errorMessage())).isEqualTo(SessionStatus.READY);
            assertThat(done.engine()).isEqualTo("musetalk-1.5");
            Path dir = root.resolve("download");
            assertThat(aws.downloadStream(id, dir)).contains("playlist.m3u8", "init.mp4", "segment_000.m4s");
            new HlsStreamInspector().assertValidStream(dir, 25, true);
            assertThat(new HlsStreamInspector().decodeErrors(dir.resolve("playlist.m3u8"))).isEmpty();
            assertThat(root.resolve("prepared/default/avatar.json")).as("the prepared avatar package").exists();
            aws.awaitMessages(aws.queues.queueUrl(), 0, LONG);
        }
    }

    @Test
    void withAChecksumMismatch_assemblyFailsAtStartupNamingTheFile() throws Exception {
        Path corrupt = ModelDirs.derive(models, root.resolve("corrupt"),
                m -> ((com.fasterxml.jackson.databind.node.ObjectNode) m.get("graphs").get("vae_decode"))
                        .put("sha256", "0".repeat(64)));
        try (AwsStack aws = new AwsStack(moto, root, 3)) {
            assertThatThrownBy(() -> aws.startWorker("broken", 1.0, museTalk(corrupt)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("LIPSYNC_MODELS_DIR")
                    .hasMessageContaining(corrupt.resolve("vae_decode.pt").toString());
            assertThat(aws.messagesIn(aws.queues.queueUrl())).isZero();
        }
    }

    private static Session last(List<Session> seen) {
        return seen.get(seen.size() - 1);
    }
}
