package ai.lipsync.musetalk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.lipsync.session.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DJL plumbing and failure paths, on tiny graphs traced by torch at test time. */
class MuseTalkModelsTest {

    @TempDir
    static Path graphs;

    @BeforeAll
    static void trace() throws Exception {
        TracedTestGraphs.traceInto(graphs);
    }

    @Test
    void load_onCpuHost_choosesCpuFp32_andRunsTheGraphThroughDjl() {
        try (MuseTalkModels models = MuseTalkModels.load(graphs.resolve("ok"), false)) {
            assertThat(models.device()).isEqualTo(Device.cpu());
            assertThat(models.manifest().precision()).isEqualTo("fp32");
            LatentBatch out = models.unet().predict(input(3, 0.5f, 1f));
            assertThat(out.count()).isEqualTo(3);
            assertThat(out.channels()).isEqualTo(4);
            assertThat(out.data()).containsOnly(2f); // 0.5*2 + mean(1)
        }
    }

    @Test
    void newPredictor_perThread_givesTheSameResults() throws Exception {
        try (MuseTalkModels models = MuseTalkModels.load(graphs.resolve("ok"), false)) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<float[]> a = pool.submit(() -> {
                    try (GraphPredictor<UNetInput, LatentBatch> p = models.unet().newPredictor()) {
                        return p.predict(input(2, 1f, 0f)).data();
                    }
                });
                Future<float[]> b = pool.submit(() -> models.unet().predict(input(2, 1f, 0f)).data());
                assertThat(a.get()).containsOnly(2f);
                assertThat(b.get()).containsOnly(2f);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void load_withMissingGraphFile_namesTheFile(@TempDir Path dir) throws Exception {
        copy(graphs.resolve("ok"), dir);
        Files.delete(dir.resolve("unet.pt"));
        assertThatThrownBy(() -> MuseTalkModels.load(dir, false))
                .isInstanceOf(ModelFileException.class)
                .hasMessageContaining(dir.resolve("unet.pt").toString())
                .hasMessageContaining("missing")
                .satisfies(e -> assertThat(((ModelFileException) e).file()).isEqualTo(dir.resolve("unet.pt")));
    }

    @Test
    void load_withCorruptGraphFile_namesTheFileAndTheChecksum(@TempDir Path dir) throws Exception {
        copy(graphs.resolve("ok"), dir);
        Files.write(dir.resolve("unet.pt"), new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
        assertThatThrownBy(() -> MuseTalkModels.load(dir, false))
                .isInstanceOf(ModelFileException.class)
                .hasMessageContaining(dir.resolve("unet.pt").toString())
                .hasMessageContaining("corrupt")
                .hasMessageContaining("sha256")
                .satisfies(e -> assertThat(((InferenceException) e).code()).isEqualTo(ErrorCode.INFERENCE_FAILED));
    }

    @Test
    void load_withUnloadableGraphFile_namesTheFile(@TempDir Path dir) throws Exception {
        copy(graphs.resolve("ok"), dir);
        // a garbage graph whose manifest checksum agrees: the engine itself refuses it
        Files.writeString(dir.resolve("unet.pt"), "not a torchscript archive");
        String manifest = Files.readString(dir.resolve("manifest.json"))
                .replaceAll("\"sha256\": \"[0-9a-f]+\"", "\"sha256\": \"" + MuseTalkModels.sha256(dir.resolve("unet.pt")) + "\"");
        Files.writeString(dir.resolve("manifest.json"), manifest);
        assertThatThrownBy(() -> MuseTalkModels.load(dir, false))
                .isInstanceOf(ModelFileException.class)
                .hasMessageContaining(dir.resolve("unet.pt").toString())
                .hasMessageContaining("could not be loaded");
    }

    @Test
    void load_withoutManifest_namesTheManifestAndTheExportCommand(@TempDir Path dir) {
        assertThatThrownBy(() -> MuseTalkModels.load(dir, false))
                .isInstanceOf(ModelFileException.class)
                .hasMessageContaining(dir.resolve("manifest.json").toString())
                .hasMessageContaining("musetalk_models.export");
    }

    @Test
    void load_withOnlyFp16GraphsAndNoGpu_refusesWithAHint(@TempDir Path dir) throws Exception {
        copy(graphs.resolve("ok"), dir);
        String manifest = Files.readString(dir.resolve("manifest.json")).replace("fp32", "fp16");
        Files.writeString(dir.resolve("manifest.json"), manifest);
        assertThatThrownBy(() -> MuseTalkModels.load(dir, false))
                .isInstanceOf(ModelFileException.class)
                .hasMessageContaining("--precision fp32");
    }

    @Test
    void unet_withWrongInputShape_throwsShapeError_beforeTheEngine() {
        try (MuseTalkModels models = MuseTalkModels.load(graphs.resolve("ok"), false)) {
            UNetInput bad = new UNetInput(new LatentBatch(1, 7, 32, 32, new float[7 * 32 * 32]),
                    new AudioPrompts(1, new float[AudioPrompts.FRAME_SIZE]));
            assertThatThrownBy(() -> models.unet().predict(bad))
                    .isInstanceOf(InferenceException.class)
                    .hasMessageContaining("graph=unet")
                    .hasMessageContaining("expected=(B,8,32,32)")
                    .hasMessageContaining("actual=(1,7,32,32)")
                    .satisfies(e -> assertThat(((InferenceException) e).kind()).isEqualTo(InferenceException.Kind.SHAPE))
                    .satisfies(e -> assertThat(((InferenceException) e).code()).isEqualTo(ErrorCode.INFERENCE_SHAPE));
        }
    }

    @Test
    void unet_whoseGraphDisagreesWithTheManifest_throwsShapeFromLibtorch_thenAGoodCallWorks() {
        try (MuseTalkModels models = MuseTalkModels.load(graphs.resolve("reshape"), false)) {
            assertThatThrownBy(() -> models.unet().predict(input(2, 1f, 0f)))
                    .isInstanceOf(InferenceException.class)
                    .hasMessageContaining("graph=unet")
                    .hasMessageContaining("shape")
                    .satisfies(e -> assertThat(((InferenceException) e).kind()).isEqualTo(InferenceException.Kind.SHAPE))
                    .satisfies(e -> assertThat(e.getCause()).isNotInstanceOf(InferenceException.class));
            assertThat(models.unet().predict(input(4, 1f, 0f)).data()).containsOnly(1f);
        }
    }

    @Test
    void unet_whenLibtorchCannotAllocate_throwsOom_thenAGoodCallWorks() {
        try (MuseTalkModels models = MuseTalkModels.load(graphs.resolve("oom"), false)) {
            assertThatThrownBy(() -> models.unet().predict(input(64, 0f, 0f)))
                    .isInstanceOf(InferenceException.class)
                    .hasMessageContaining("graph=unet")
                    .hasMessageContaining("can't allocate memory")
                    .satisfies(e -> assertThat(((InferenceException) e).kind()).isEqualTo(InferenceException.Kind.OOM))
                    .satisfies(e -> assertThat(((InferenceException) e).code()).isEqualTo(ErrorCode.INFERENCE_OOM));
            assertThat(models.unet().predict(input(1, 1.5f, 0f)).data()).containsOnly(1.5f);
        }
    }

    @Test
    void unet_fp16Graph_getsHalfInputsAndReturnsFloats() {
        // GPU exports declare float16 tensors; the same plumbing runs a tiny fp16 graph on the CPU here
        ModelManifest fp16 = ModelManifest.read(graphs.resolve("ok_fp16"));
        try (MuseTalkModels models = MuseTalkModels.load(fp16, Device.cpu())) {
            assertThat(models.manifest().precision()).isEqualTo("fp16");
            LatentBatch out = models.unet().predict(input(2, 0.25f, 0.5f));
            assertThat(out.data()).containsOnly(1f); // 0.25*2 + 0.5, exact in half precision
        }
    }

    @Test
    void unet_fixedBatchGraph_padsSmallerBatches_andRefusesLargerOnes() {
        try (MuseTalkModels models = MuseTalkModels.load(graphs.resolve("fixed"), false)) {
            LatentBatch out = models.unet().predict(input(3, 1f, 1f));
            assertThat(out.count()).isEqualTo(3);
            assertThat(out.data()).containsOnly(3f);
            assertThatThrownBy(() -> models.unet().predict(input(5, 1f, 1f)))
                    .isInstanceOf(InferenceException.class)
                    .hasMessageContaining("expected<=4, actual=5")
                    .satisfies(e -> assertThat(((InferenceException) e).kind()).isEqualTo(InferenceException.Kind.SHAPE));
        }
    }

    @Test
    void select_withGpuAndAnFp16Export_choosesGpuFp16_elseCpuFp32(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("fp16"));
        Files.createDirectories(dir.resolve("fp32"));
        copy(graphs.resolve("ok_fp16"), dir.resolve("fp16"));
        copy(graphs.resolve("ok"), dir.resolve("fp32"));
        MuseTalkModels.Selection gpu = MuseTalkModels.select(dir, true);
        assertThat(gpu.device()).isEqualTo(Device.gpu());
        assertThat(gpu.manifest().dir()).isEqualTo(dir.resolve("fp16"));
        MuseTalkModels.Selection cpu = MuseTalkModels.select(dir, false);
        assertThat(cpu.device()).isEqualTo(Device.cpu());
        assertThat(cpu.manifest().dir()).isEqualTo(dir.resolve("fp32"));
    }

    /** CUDA and only an fp32 export: fp32 on the GPU, said in the reason; never the CPU silently. */
    @Test
    void select_withGpuButOnlyAnFp32Export_runsFp32OnTheGpuAndSaysWhy() {
        MuseTalkModels.Selection s = MuseTalkModels.select(graphs.resolve("ok"), true);
        assertThat(s.device()).isEqualTo(Device.gpu());
        assertThat(s.manifest().precision()).isEqualTo("fp32");
        assertThat(s.reason()).contains("fp32 on the GPU", "no fp16 export", "--precision fp16");
    }

    @Test
    void select_withGpuAndOnlyAnFp16Export_runsFp16OnTheGpu() {
        MuseTalkModels.Selection s = MuseTalkModels.select(graphs.resolve("ok_fp16"), true);
        assertThat(s.device()).isEqualTo(Device.gpu());
        assertThat(s.manifest().precision()).isEqualTo("fp16");
    }

    @Test
    void select_withoutGpuAndAnFp32Export_runsFp32OnTheCpu() {
        MuseTalkModels.Selection s = MuseTalkModels.select(graphs.resolve("ok"), false);
        assertThat(s.device()).isEqualTo(Device.cpu());
        assertThat(s.reason()).contains("fp32 on the CPU");
    }

    @Test
    void graph_notInManifest_isAClearError() {
        try (MuseTalkModels models = MuseTalkModels.load(graphs.resolve("ok"), false)) {
            assertThatThrownBy(models::vaeDecoder)
                    .isInstanceOf(InferenceException.class)
                    .hasMessageContaining("'vae_decode' is not in");
        }
    }

    static UNetInput input(int count, float latent, float audio) {
        float[] l = new float[count * 8 * 32 * 32];
        java.util.Arrays.fill(l, latent);
        float[] a = new float[count * AudioPrompts.FRAME_SIZE];
        java.util.Arrays.fill(a, audio);
        return new UNetInput(new LatentBatch(count, 8, 32, 32, l), new AudioPrompts(count, a));
    }

    private static void copy(Path from, Path to) throws Exception {
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }
}
