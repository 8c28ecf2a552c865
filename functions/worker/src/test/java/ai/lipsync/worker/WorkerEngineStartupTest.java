package ai.lipsync.worker;

import ai.lipsync.pipeline.LipsyncSettings;
import ai.lipsync.engine.EngineSelection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
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
}
