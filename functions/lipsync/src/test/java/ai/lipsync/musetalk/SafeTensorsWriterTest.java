package ai.lipsync.musetalk;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lipsync.testing.ModelsPython;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsWriterTest {

    @Test
    void encode_thenRead_givesBackShapesValuesAndMetadata(@TempDir Path dir) throws Exception {
        float[] a = {1.5f, -2f, Float.MIN_VALUE, 3e10f, 0f, 7f};
        float[] b = {42f};
        Path file = dir.resolve("t.safetensors");
        Files.write(file, SafeTensors.encode(List.of(new SafeTensors.FloatTensor("a", new long[] {2, 3}, a),
                new SafeTensors.FloatTensor("b", new long[] {1}, b)), Map.of("avatar_id", "sun")));

        SafeTensors read = SafeTensors.read(file);

        assertThat(read.names()).containsExactly("a", "b");
        assertThat(read.get("a").shape()).containsExactly(2, 3);
        assertThat(read.get("a").floats()).containsExactly(a);
        assertThat(read.get("b").floats()).containsExactly(b);
        assertThat(read.metadata()).containsEntry("avatar_id", "sun");
        long headerLen = ByteBuffer.wrap(Files.readAllBytes(file), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat((8 + headerLen) % 8).as("data 8-byte aligned").isZero();
    }

    @Test
    void encode_isReadByPythonSafetensors(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("t.safetensors");
        Files.write(file, SafeTensors.encode(List.of(new SafeTensors.FloatTensor("latents", new long[] {1, 2},
                new float[] {0.25f, -1f})), Map.of()));
        Process p = new ProcessBuilder(ModelsPython.command("-c", "import sys; from safetensors.numpy import load_file; "
                + "t = load_file(sys.argv[1])['latents']; print(t.shape, t.dtype, t.tolist())", file.toString()))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());

        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out.trim()).isEqualTo("(1, 2) float32 [[0.25, -1.0]]");
    }
}
