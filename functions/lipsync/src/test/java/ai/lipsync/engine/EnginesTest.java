package ai.lipsync.engine;

import ai.lipsync.avatar.AvatarCatalog;
import ai.lipsync.avatar.AvatarSettings;
import ai.lipsync.musetalk.GoldenGraphs;
import ai.lipsync.musetalk.GraphWarmUp;
import ai.lipsync.musetalk.MuseTalkModels;
import ai.lipsync.testing.ModelDirs;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The shared factory: the weights-free side, and MuseTalk's startup checks and warm-up on the
 * golden-size graphs (settings every session would fail with are refused, naming them).
 */
class EnginesTest {

    @TempDir
    Path root;

    @Test
    void weightsFreeChoice_givesTheWeightsFreeEngineAndNoPreparedAvatars() {
        EngineSelection.Choice choice = EngineSelection.choose(root.resolve("absent"), false);
        AvatarSettings settings = AvatarSettings.defaults().withVideoDir(root.resolve("video"));

        LipSyncEngine engine = Engines.create(choice, 4, 60);

        assertThat(engine.name()).isEqualTo(WeightsFreeEngine.NAME);
        assertThat(engine.needsPreparedAvatar()).isFalse();
        assertThat(Engines.preparedAvatars(choice, AvatarCatalog.create(settings), settings)).isEmpty();
    }

    @Nested
    @ExtendWith(GoldenGraphs.class)
    class MuseTalk {

        @ParameterizedTest(name = "{0} fps")
        @ValueSource(ints = {50, 60})
        void create_atAnFpsTheAudioWindowsDoNotSupport_refusesNamingTheSettingAndFreesTheModels(int fps,
                MuseTalkModels golden) {
            MuseTalkModels models = MuseTalkModels.load(golden.manifest().dir(), false);

            assertThatThrownBy(() -> Engines.create(new EngineSelection.UseMuseTalk(models), 0, fps))
                    .isInstanceOf(UnusableSettingException.class)
                    .hasMessageContaining("lipsync.video.fps").hasMessageContaining("LIPSYNC_VIDEO_FPS")
                    .hasMessageContaining("= " + fps).hasMessageContaining("1 to 49 fps");
            assertThat(models.isClosed()).isTrue();
        }

        @Test
        void create_withABatchLargerThanAFixedBatchExportRuns_refusesNamingTheSetting(MuseTalkModels golden) {
            Path dir = ModelDirs.derive(golden.manifest().dir(), root.resolve("fixed"), m ->
                    ((ObjectNode) m.get("graphs").get("unet")).put("dynamic_batch", false));
            MuseTalkModels models = MuseTalkModels.load(dir, false);
            int traced = models.unet().spec().batch();

            assertThatThrownBy(() -> Engines.create(new EngineSelection.UseMuseTalk(models), traced + 1, 25))
                    .isInstanceOf(UnusableSettingException.class)
                    .hasMessageContaining("lipsync.models.batch-size").hasMessageContaining("LIPSYNC_MODELS_BATCHSIZE")
                    .hasMessageContaining("at most " + traced + " frames");
            assertThat(models.isClosed()).isTrue();
        }

        /** The unet's first call runs out of memory: that call is the warm-up, at startup, not a session's. */
        @Test
        void create_whenOneBatchRunsOutOfMemory_refusesAtStartupNamingTheBatchSize(MuseTalkModels golden) {
            Path dir = ModelDirs.withUnetFailingOnce(golden.manifest().dir(), root.resolve("oom"), "oom");
            MuseTalkModels models = MuseTalkModels.load(dir, false);

            assertThatThrownBy(() -> Engines.create(new EngineSelection.UseMuseTalk(models), 0, 25))
                    .isInstanceOf(UnusableSettingException.class)
                    .hasMessageContaining("lipsync.models.batch-size").hasMessageContaining("inference_oom");
            assertThat(models.isClosed()).isTrue();
        }

        @Test
        void create_withUsableSettings_runsOneBatchThroughEveryGraphBeforeReturning(MuseTalkModels golden) {
            MuseTalkModels models = MuseTalkModels.load(golden.manifest().dir(), false);
            int batch = 2;

            try (MuseTalkEngine engine = (MuseTalkEngine) Engines.create(new EngineSelection.UseMuseTalk(models),
                    batch, 25)) {
                assertThat(engine.warmedUp()).extracting(GraphWarmUp.Run::graph)
                        .containsExactlyInAnyOrderElementsOf(models.manifest().graphs().keySet());
                assertThat(engine.warmedUp()).filteredOn(r -> r.graph().equals("unet") || r.graph().equals("vae_decode"))
                        .extracting(GraphWarmUp.Run::batch).containsOnly(batch);
            }
            assertThat(models.isClosed()).isTrue();
        }
    }

}
