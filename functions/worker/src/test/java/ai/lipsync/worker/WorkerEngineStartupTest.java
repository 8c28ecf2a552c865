package ai.lipsync.worker;

import ai.lipsync.pipeline.GenerationAssembly;
import ai.lipsync.settings.LipsyncSettings;
import ai.lipsync.engine.EngineSelection;
import ai.lipsync.musetalk.Golden;
import ai.lipsync.musetalk.GoldenGraphs;
import ai.lipsync.musetalk.ModelManifest;
import ai.lipsync.testing.FakeSynthesizer;
import ai.lipsync.testing.ModelDirs;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How the worker picks its engine at startup from LIPSYNC_MODELS_DIR, before it touches any queue. */
class WorkerEngineStartupTest {

    @TempDir
    Path root;

    @Test
    void absentModelsDir_choosesWeightsFreeAndSaysWhy() {
        Path absent = root.resolve("no-models");

        EngineSelection.Choice choice = WorkerMain.chooseEngine(new LipsyncSettings.Models(absent, false, 0));

        assertThat(choice).isInstanceOf(EngineSelection.UseWeightsFree.class);
        assertThat(choice.engineName()).isEqualTo("weights-free");
        assertThat(((EngineSelection.UseWeightsFree) choice).reason()).contains(absent.toString());
    }

    @Test
    void halfPresentModelsDir_failsNamingTheMissingManifest() throws Exception {
        Path half = Files.createDirectories(root.resolve("half"));
        Files.write(half.resolve("unet.pt"), new byte[] {1, 2, 3});

        assertThatThrownBy(() -> WorkerMain.chooseEngine(new LipsyncSettings.Models(half, false, 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LIPSYNC_MODELS_DIR")
                .hasMessageContaining(half.resolve("manifest.json").toString());
    }

    @Test
    void halfPresentModelsDir_workerProcessExitsNonZeroWithTheFileInItsLog() throws Exception {
        Path half = Files.createDirectories(root.resolve("half"));
        Files.write(half.resolve("unet.pt"), new byte[] {1, 2, 3});
        Map<String, String> env = Map.of("LIPSYNC_MODELS_DIR", half.toString(), "LIPSYNC_MODELS_GPU", "false",
                "AWS_REGION", "us-east-1", "AWS_ENDPOINT_URL", "http://127.0.0.1:9", "AWS_ACCESS_KEY_ID", "test",
                "AWS_SECRET_ACCESS_KEY", "test", "LIPSYNC_STORAGE_DATADIR", root.resolve("data").toString());

        try (WorkerProcess worker = WorkerProcess.start(env, root.resolve("worker.log"))) {
            int status = worker.waitFor(120);

            assertThat(status).as(worker.output()).isEqualTo(WorkerMain.NOT_STARTED);
            assertThat(worker.output()).contains("worker not started")
                    .contains(half.resolve("manifest.json").toString());
        }
    }

    /** With the golden-size graphs exported at test time (skipped, naming the case, without the golden dir). */
    @Nested
    @ExtendWith(GoldenGraphs.class)
    class WithModels {

        private Path export() {
            Path out = Path.of("target", "golden-graphs").toAbsolutePath();
            GoldenGraphs.export(List.of("--golden", Golden.dir().toString(), "--out", out.toString()), out);
            return out;
        }

        @Test
        void batchSizeTheExportCannotRun_failsNamingLipsyncModelsBatchSize() {
            Path fixed = ModelDirs.derive(export(), root.resolve("fixed"), m ->
                    ((ObjectNode) m.get("graphs").get("unet")).put("dynamic_batch", false));
            int traced = ModelManifest.read(fixed).graphs().get("unet").batch();
            LipsyncSettings settings = ai.lipsync.aws.SettingsBinder.bind(Map.of("LIPSYNC_MODELS_DIR", fixed.toString(),
                    "LIPSYNC_MODELS_GPU", "false", "LIPSYNC_MODELS_BATCHSIZE", String.valueOf(traced + 1),
                    "LIPSYNC_STORAGE_DATADIR", root.resolve("data").toString()));

            assertThatThrownBy(() -> GenerationAssembly.create(settings, FakeSynthesizer.failing(
                    new IllegalStateException("no speech in this test")), WorkerMain.chooseEngine(settings.models()),
                    Clock.systemUTC()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("LIPSYNC_MODELS_BATCHSIZE").hasMessageContaining("at most " + traced);
        }

        @Test
        void fpsMuseTalkCannotRun_workerProcessExitsNotStartedNamingLipsyncVideoFps() throws Exception {
            Map<String, String> env = Map.of("LIPSYNC_MODELS_DIR", export().toString(), "LIPSYNC_MODELS_GPU", "false",
                    "LIPSYNC_VIDEO_FPS", "60", "AWS_REGION", "us-east-1", "AWS_ENDPOINT_URL", "http://127.0.0.1:9",
                    "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test",
                    "LIPSYNC_STORAGE_DATADIR", root.resolve("data").toString());

            try (WorkerProcess worker = WorkerProcess.start(env, root.resolve("worker.log"))) {
                int status = worker.waitFor(300);

                assertThat(status).as(worker.output()).isEqualTo(WorkerMain.NOT_STARTED);
                assertThat(worker.output()).contains("worker not started").contains("LIPSYNC_VIDEO_FPS")
                        .contains("= 60");
            }
        }
    }
}
