package ai.lipsync.local;

import ai.lipsync.musetalk.Golden;
import ai.lipsync.musetalk.GoldenGraphs;
import ai.lipsync.musetalk.ModelManifest;
import ai.lipsync.testing.ModelDirs;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.builder.SpringApplicationBuilder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A broken MuseTalk model set, or a setting every MuseTalk session would fail with, stops the start
 * naming the file or the setting; it never falls back silently.
 */
class MuseTalkStartupTest {

    @Test
    void start_withGraphFilesButNoManifest_refusesToStartNamingTheManifest(@TempDir Path models) throws Exception {
        Files.write(models.resolve("unet.pt"), new byte[] {1, 2, 3});

        assertThatThrownBy(() -> new SpringApplicationBuilder(LocalApplication.class)
                .run("--server.port=0", "--lipsync.models.dir=" + models).close())
                .hasRootCauseInstanceOf(MissingPrerequisiteException.class)
                .rootCause().hasMessageContaining(models.resolve("manifest.json").toString())
                .hasMessageContaining("incomplete or corrupt");
    }

    @Test
    void start_withAnUnreadableManifest_refusesToStartNamingIt(@TempDir Path models) throws Exception {
        Files.writeString(models.resolve("manifest.json"), "{ not json");

        assertThatThrownBy(() -> new SpringApplicationBuilder(LocalApplication.class)
                .run("--server.port=0", "--lipsync.models.dir=" + models).close())
                .hasRootCauseInstanceOf(MissingPrerequisiteException.class)
                .rootCause().hasMessageContaining(models.resolve("manifest.json").toString());
    }

    /** With the golden-size graphs exported at test time (skipped, naming the case, without the golden dir). */
    @Nested
    @ExtendWith(GoldenGraphs.class)
    class WithModels {
        @TempDir
        Path temp;

        private Path export() {
            Path out = Path.of("target", "golden-graphs").toAbsolutePath();
            GoldenGraphs.export(List.of("--golden", Golden.dir().toString(), "--out", out.toString()), out);
            return out;
        }

        @ParameterizedTest(name = "{0} fps")
        @ValueSource(ints = {50, 60})
        void start_atAnFpsMuseTalkCannotRun_refusesNamingLipsyncVideoFps(int fps) {
            Path models = export();

            assertThatThrownBy(() -> new SpringApplicationBuilder(LocalApplication.class)
                    .run("--server.port=0", "--lipsync.models.dir=" + models, "--lipsync.video.fps=" + fps,
                            "--lipsync.storage.data-dir=" + temp.resolve("data"),
                            "--lipsync.storage.hls-dir=" + temp.resolve("hls")).close())
                    .hasRootCauseInstanceOf(MissingPrerequisiteException.class)
                    .rootCause().hasMessageContaining("lipsync.video.fps").hasMessageContaining("= " + fps);
        }

        @Test
        void start_withABatchSizeTheExportCannotRun_refusesNamingLipsyncModelsBatchSize() {
            Path fixed = ModelDirs.derive(export(), temp.resolve("fixed"), m ->
                    ((ObjectNode) m.get("graphs").get("unet")).put("dynamic_batch", false));
            int traced = ModelManifest.read(fixed).graphs().get("unet").batch();

            assertThatThrownBy(() -> new SpringApplicationBuilder(LocalApplication.class)
                    .run("--server.port=0", "--lipsync.models.dir=" + fixed,
                            "--lipsync.models.batch-size=" + (traced + 1),
                            "--lipsync.storage.data-dir=" + temp.resolve("data"),
                            "--lipsync.storage.hls-dir=" + temp.resolve("hls")).close())
                    .hasRootCauseInstanceOf(MissingPrerequisiteException.class)
                    .rootCause().hasMessageContaining("lipsync.models.batch-size")
                    .hasMessageContaining("at most " + traced + " frames");
        }
    }
}
