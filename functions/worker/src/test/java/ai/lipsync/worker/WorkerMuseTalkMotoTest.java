package ai.lipsync.worker;

import ai.lipsync.aws.testing.MotoExtension;
import ai.lipsync.aws.testing.MotoServer;
import ai.lipsync.musetalk.Golden;
import ai.lipsync.musetalk.GoldenGraphs;
import ai.lipsync.session.GenerationJob;
import ai.lipsync.session.Language;
import ai.lipsync.session.Session;
import ai.lipsync.session.SessionStatus;
import ai.lipsync.testing.HlsStreamInspector;
import ai.lipsync.testing.ModelDirs;
import ai.lipsync.testing.TestAudio;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import ai.lipsync.session.SessionIds;

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

    /**
     * CPU, and a 3-frame avatar cut from sun.mp4 at 360 px: its preparation (DWPose, bisenet,
     * vae_encode) stays quick on 2 shared cores (the drawn default has 100 frames at 512x512).
     */
    private Map<String, String> museTalk(Path dir) {
        return Map.of("LIPSYNC_MODELS_DIR", dir.toString(), "LIPSYNC_MODELS_GPU", "false",
                "LIPSYNC_AVATAR_MAXSECONDS", "0.12", "LIPSYNC_AVATAR_MAXLONGSIDE", "360");
    }

    @Test
    void withExportedModels_jobFromSqs_endsReadyAsMuseTalkWithADecodableStreamInS3() throws Exception {
        Path sun = TestAudio.sharedMedia("sun.mp4");
        Assumptions.assumeTrue(Files.exists(sun), "MuseTalk worker case skipped: shared media " + sun + " is absent");
        Files.createDirectories(root.resolve("video"));
        Files.copy(sun, root.resolve("video/sun.mp4"));
        try (AwsStack aws = new AwsStack(moto, root, 3)) {
            // As the API stores a session for the avatar 'sun' and hands its job to SQS.
            String id = SessionIds.create().next();
            String text = "Hello from MuseTalk on the cloud worker.";
            aws.sessions.create(Session.created(id, text, Language.EN, "sun", Instant.now()));
            aws.jobs.submit(new GenerationJob(id, text, Language.EN, "sun"));
            aws.startWorker("mt", 0.6, museTalk(models));

            Session done = last(aws.watch(id, s -> s.status().isFinal(), LONG));

            assertThat(done.status()).as(String.valueOf(done.errorMessage())).isEqualTo(SessionStatus.READY);
            assertThat(done.engine()).isEqualTo("musetalk-1.5");
            Path dir = root.resolve("download");
            assertThat(aws.downloadStream(id, dir)).contains("playlist.m3u8", "init.mp4", "segment_000.m4s");
            new HlsStreamInspector().assertValidStream(dir, 25, true);
            assertThat(new HlsStreamInspector().decodeErrors(dir.resolve("playlist.m3u8"))).isEmpty();
            assertThat(root.resolve("prepared/sun/avatar.json")).as("the prepared avatar package").exists();
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
