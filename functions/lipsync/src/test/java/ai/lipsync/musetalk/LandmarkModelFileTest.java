package ai.lipsync.musetalk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The DWPose ONNX entry of manifest.json: listed, checked like the graphs, clear errors naming the file. */
class LandmarkModelFileTest {
    private static final Path EXPORT = Path.of("target", "dwpose-random").toAbsolutePath();
    private static final String ONNX = "dw-ll_ucoco_384.onnx";

    @BeforeAll
    static void export() {
        GoldenGraphs.export(List.of("--random-weights", "--out", EXPORT.toString()), EXPORT);
    }

    private static Path copy(Path dir) throws IOException {
        for (String name : List.of(ModelManifest.FILE_NAME, ONNX)) {
            Files.copy(EXPORT.resolve(name), dir.resolve(name));
        }
        return dir;
    }

    @Test
    void read_listsTheDwposeModelWithItsChecksumAndSignature(@TempDir Path dir) throws IOException {
        ModelManifest m = ModelManifest.read(copy(dir));
        ModelManifest.GraphSpec spec = m.onnx().get(ModelManifest.DWPOSE);
        assertThat(spec.file()).isEqualTo(ONNX);
        assertThat(spec.sha256()).isEqualTo(MuseTalkModels.sha256(dir.resolve(ONNX)));
        assertThat(spec.input("input").orElseThrow().shape()).containsExactly(1L, 3L, 384L, 288L);
        assertThat(spec.outputs()).extracting(ModelManifest.TensorSpec::name).containsExactly("simcc_x", "simcc_y");
        assertThat(spec.outputs().get(1).shape()).containsExactly(1L, 133L, 768L);
        assertThat(m.graphs()).isEmpty();
    }

    @Test
    @ExtendWith(GoldenGraphs.class)
    void goldenExport_carriesTheDwposeStandIn_verifiedAtLoad(MuseTalkModels models) {
        Path file = models.landmarkModel();
        assertThat(file.getFileName()).hasToString(ONNX);
        assertThat(MuseTalkModels.sha256(file)).isEqualTo(models.manifest().onnx().get(ModelManifest.DWPOSE).sha256());
    }

    @Test
    void landmarkModel_ofAVerifiedExport_isTheOnnxFile(@TempDir Path dir) throws IOException {
        assertThat(MuseTalkModels.landmarkModel(copy(dir))).isEqualTo(dir.resolve(ONNX));
    }

    @Test
    void load_checksTheOnnxFile_andHandsItsPathOut(@TempDir Path dir) throws IOException {
        try (MuseTalkModels models = MuseTalkModels.load(copy(dir), false)) {
            assertThat(models.landmarkModel()).isEqualTo(dir.resolve(ONNX));
        }
    }

    @Test
    void load_withCorruptOnnxFile_failsNamingTheFile(@TempDir Path dir) throws IOException {
        copy(dir);
        Files.write(dir.resolve(ONNX), new byte[] {9}, StandardOpenOption.APPEND);
        assertThatThrownBy(() -> MuseTalkModels.load(dir, false))
                .isInstanceOf(ModelFileException.class)
                .hasMessageContaining(dir.resolve(ONNX).toString()).hasMessageContaining("corrupt")
                .satisfies(e -> assertThat(((ModelFileException) e).file()).isEqualTo(dir.resolve(ONNX)));
        assertThatThrownBy(() -> MuseTalkModels.landmarkModel(dir)).hasMessageContaining("corrupt");
    }

    @Test
    void landmarkModel_withMissingOnnxFile_failsNamingTheFile(@TempDir Path dir) throws IOException {
        copy(dir);
        Files.delete(dir.resolve(ONNX));
        assertThatThrownBy(() -> MuseTalkModels.landmarkModel(dir))
                .isInstanceOf(ModelFileException.class)
                .hasMessageContaining(dir.resolve(ONNX).toString()).hasMessageContaining("missing");
    }

    @Test
    void landmarkModel_whenTheManifestListsNone_namesTheManifestAndTheSetupCommand(@TempDir Path dir)
            throws IOException {
        Files.writeString(dir.resolve(ModelManifest.FILE_NAME), "{\"precision\": \"fp32\", \"graphs\": {}}");
        assertThatThrownBy(() -> MuseTalkModels.landmarkModel(dir))
                .isInstanceOf(ModelFileException.class)
                .hasMessageContaining(dir.resolve(ModelManifest.FILE_NAME).toString())
                .hasMessageContaining("musetalk_models.setup");
    }
}
