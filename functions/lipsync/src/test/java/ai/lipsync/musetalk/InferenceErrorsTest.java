package ai.lipsync.musetalk;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lipsync.session.ErrorCode;
import org.junit.jupiter.api.Test;

class InferenceErrorsTest {

    @Test
    void classify_libtorchAllocatorMessages_areOom() {
        assertThat(InferenceErrors.classify("CUDA out of memory. Tried to allocate 2.00 GiB"))
                .isEqualTo(InferenceException.Kind.OOM);
        assertThat(InferenceErrors.classify("DefaultCPUAllocator: can't allocate memory: you tried to allocate 1 bytes"))
                .isEqualTo(InferenceException.Kind.OOM);
    }

    @Test
    void classify_shapeMessages_areShape() {
        assertThat(InferenceErrors.classify("mat1 and mat2 shapes cannot be multiplied (200x384 and 256x4)"))
                .isEqualTo(InferenceException.Kind.SHAPE);
        assertThat(InferenceErrors.classify("Given groups=1, weight of size [32, 8, 3, 3], expected input[1, 7, 32, 32] "
                + "to have 8 channels, but got 7 channels instead")).isEqualTo(InferenceException.Kind.SHAPE);
        assertThat(InferenceErrors.classify("The size of tensor a (384) must match the size of tensor b (256) at "
                + "non-singleton dimension 2")).isEqualTo(InferenceException.Kind.SHAPE);
    }

    @Test
    void wrap_anOnnxRuntimeArenaFailure_isOomAndThePublicMessageHidesTheNativeText() {
        String ort = "Non-zero status code returned while running Conv node. Name:'/stem/conv/Conv' Status Message:"
                + " /onnxruntime_src/onnxruntime/core/framework/bfc_arena.cc:376 void* onnxruntime::BFCArena::"
                + "AllocateRawInternal(size_t, bool, onnxruntime::Stream*) Failed to allocate memory for requested"
                + " buffer of size 1073741824";

        InferenceException e = InferenceErrors.wrap("dwpose", "file=models/dw-ll_ucoco_384.onnx",
                new IllegalStateException(ort));

        assertThat(e.kind()).isEqualTo(InferenceException.Kind.OOM);
        assertThat(e.getMessage()).contains("graph=dwpose").contains("Failed to allocate memory");
        assertThat(e.publicMessage()).isEqualTo("The lip-sync model ran out of memory (inference_oom); the service"
                + " log has the details.");
    }

    @Test
    void publicMessage_ofEveryKind_isASentenceWithItsCodeAndNoEngineText() {
        for (InferenceException.Kind kind : InferenceException.Kind.values()) {
            InferenceException e = new InferenceException(kind, "inference failed [graph=unet]: c10::Error at "
                    + "frame #3 /pytorch/aten/src/ATen/native/Linear.cpp");

            assertThat(e.publicMessage()).as(kind.name()).startsWith("The lip-sync model")
                    .contains("(" + kind.code().wireName() + ")").endsWith(".")
                    .doesNotContain("graph=").doesNotContain("c10").doesNotContain("frame #");
        }
    }

    @Test
    void classify_otherMessages_areFailed() {
        assertThat(InferenceErrors.classify("Expected all tensors to be on the same device"))
                .isEqualTo(InferenceException.Kind.FAILED);
    }

    @Test
    void wrap_keepsTheKeyLineAndTheContext_andMapsTheErrorCode() {
        RuntimeException engine = new RuntimeException("The following operation failed in the TorchScript interpreter.\n"
                + "Traceback of TorchScript (most recent call last):\n  File \"code/__torch__.py\", line 14\n"
                + "RuntimeError: CUDA out of memory. Tried to allocate 20.00 GiB\nException raised from malloc");
        InferenceException e = InferenceErrors.wrap("unet", "expected=(4,50,384), actual=(4,49,384)", engine);
        assertThat(e.kind()).isEqualTo(InferenceException.Kind.OOM);
        assertThat(e.code()).isEqualTo(ErrorCode.INFERENCE_OOM);
        assertThat(e.getMessage()).isEqualTo("inference failed (oom) [graph=unet, expected=(4,50,384), "
                + "actual=(4,49,384)]: RuntimeError: CUDA out of memory. Tried to allocate 20.00 GiB");
        assertThat(e.getCause()).isSameAs(engine);
    }

    @Test
    void wrap_inferenceException_passesThroughUnwrapped() {
        InferenceException inner = new InferenceException(InferenceException.Kind.SHAPE, "bad");
        assertThat(InferenceErrors.wrap("unet", "", new RuntimeException("translate", inner))).isSameAs(inner);
        assertThat(InferenceErrors.wrap("unet", "", inner)).isSameAs(inner);
    }
}
