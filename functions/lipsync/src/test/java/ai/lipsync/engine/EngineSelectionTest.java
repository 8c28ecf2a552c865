package ai.lipsync.engine;

import ai.lipsync.musetalk.GoldenGraphs;
import ai.lipsync.musetalk.ModelFileException;
import ai.lipsync.musetalk.MuseTalkModels;
import ai.lipsync.testing.ModelDirs;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EngineSelectionTest {
    @TempDir
    Path temp;

    @Test
    void choose_withoutAModelsDirectory_picksWeightsFreeAndSaysWhy() {
        EngineSelection.Choice choice = EngineSelection.choose(temp.resolve("models/musetalk15"), true);

        assertThat(choice).isInstanceOf(EngineSelection.UseWeightsFree.class);
        assertThat(choice.engineName()).isEqualTo("weights-free");
        assertThat(((EngineSelection.UseWeightsFree) choice).reason()).contains("no MuseTalk models directory")
                .contains(temp.resolve("models/musetalk15").toString());
    }

    @Test
    void choose_withAnEmptyModelsDirectory_picksWeightsFree() {
        EngineSelection.Choice choice = EngineSelection.choose(temp, true);

        assertThat(((EngineSelection.UseWeightsFree) choice).reason()).contains("holds no manifest.json");
    }

    @Test
    void choose_withGraphFilesButNoManifest_failsNamingTheManifest() throws Exception {
        Files.write(temp.resolve("unet.pt"), new byte[] {1, 2, 3});

        assertThatThrownBy(() -> EngineSelection.choose(temp, false)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining(temp.resolve("manifest.json").toString()).hasMessageContaining("missing");
    }

    @Test
    void choose_withOnlyTheLandmarkModel_failsNamingTheMissingManifest() throws Exception {
        Files.createDirectories(temp.resolve("fp32"));
        Files.write(temp.resolve("fp32/dw-ll_ucoco_384.onnx"), new byte[] {1, 2, 3});

        assertThatThrownBy(() -> EngineSelection.choose(temp, false)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining(temp.resolve("manifest.json").toString());
    }

    @Test
    void choose_withAnUnreadableManifest_failsNamingIt() throws Exception {
        Files.writeString(temp.resolve("manifest.json"), "{ not json");

        assertThatThrownBy(() -> EngineSelection.choose(temp, false)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining(temp.resolve("manifest.json").toString()).hasMessageContaining("unreadable");
    }

    /** Half-present and corrupt sets derived from the golden export (graph files linked, manifest edited). */
    @Nested
    @ExtendWith(GoldenGraphs.class)
    class FromAnExport {

        @Test
        void choose_withACompleteExport_loadsMuseTalkOnTheCpuInFp32(MuseTalkModels golden) {
            EngineSelection.Choice choice = EngineSelection.choose(golden.manifest().dir(), false);

            assertThat(choice).isInstanceOf(EngineSelection.UseMuseTalk.class);
            EngineSelection.UseMuseTalk museTalk = (EngineSelection.UseMuseTalk) choice;
            try (MuseTalkModels models = museTalk.models()) {
                assertThat(choice.engineName()).isEqualTo("musetalk-1.5");
                assertThat(museTalk.describe()).contains("unet", "vae_decode", "whisper", "bisenet", "precision=fp32",
                        "device=cpu()");
                assertThat(models.device().isGpu()).isFalse();
            }
        }

        @Test
        void choose_withAGraphFileMissing_failsNamingTheFile(MuseTalkModels golden) throws Exception {
            Path dir = ModelDirs.derive(golden.manifest().dir(), temp.resolve("half"), m -> { });
            Files.delete(dir.resolve("vae_decode.pt"));

            assertThatThrownBy(() -> EngineSelection.choose(dir, false)).isInstanceOf(ModelFileException.class)
                    .hasMessageContaining(dir.resolve("vae_decode.pt").toString()).hasMessageContaining("missing");
        }

        @Test
        void choose_withAChecksumMismatch_failsNamingTheFile(MuseTalkModels golden) {
            Path dir = ModelDirs.derive(golden.manifest().dir(), temp.resolve("corrupt"), m ->
                    ((ObjectNode) m.get("graphs").get("whisper")).put("sha256", "0".repeat(64)));

            assertThatThrownBy(() -> EngineSelection.choose(dir, false)).isInstanceOf(ModelFileException.class)
                    .hasMessageContaining(dir.resolve("whisper.pt").toString()).hasMessageContaining("corrupt");
        }

        @Test
        void choose_withARequiredGraphNotListed_failsNamingTheManifest(MuseTalkModels golden) {
            Path dir = ModelDirs.derive(golden.manifest().dir(), temp.resolve("partial"), m ->
                    ((ObjectNode) m.get("graphs")).remove("bisenet"));

            assertThatThrownBy(() -> EngineSelection.choose(dir, false)).isInstanceOf(ModelFileException.class)
                    .hasMessageContaining(dir.resolve("manifest.json").toString()).hasMessageContaining("'bisenet'");
        }
    }
}
