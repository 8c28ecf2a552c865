package ai.lipsync.avatar.landmarks;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lipsync.musetalk.GoldenGraphs;
import ai.lipsync.testing.ModelsPython;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * ONNX files for the landmarker tests, made at test time by the models package: the random-weights
 * stand-in with DWPose's signature through the real export CLI, and a model with another signature.
 */
final class DwPoseModels {
    private DwPoseModels() {
    }

    /** {@code python3 -m musetalk_models.export --random-weights --out <out>}: returns the ONNX file. */
    static Path randomWeights(Path out) {
        GoldenGraphs.export(List.of("--random-weights", "--out", out.toString()), out);
        Path file = out.resolve("dw-ll_ucoco_384.onnx");
        assertThat(file).isRegularFile();
        return file;
    }

    /**
     * Keypoints of {@code frame} by {@code python3 -m musetalk_models.dwpose_reference} (numpy
     * restatement of mmpose's top-down inference, onnx's reference evaluator) on the same file.
     */
    static Keypoints pythonReference(Path onnx, ai.lipsync.compose.BgrImage frame, Path work) {
        try {
            Path raw = work.resolve("frame.bgr");
            Path json = work.resolve("reference.json");
            Files.write(raw, frame.data());
            Path modelsDir = GoldenGraphs.projectRoot().resolve("models");
            Process p = new ProcessBuilder(ModelsPython.command("-m", "musetalk_models.dwpose_reference", "--onnx",
                    onnx.toString(), "--frame", raw.toString(), "--width", Integer.toString(frame.width()), "--height",
                    Integer.toString(frame.height()), "--out", json.toString()))
                    .directory(modelsDir.toFile()).redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
            assertThat(p.exitValue()).as(text).isZero();
            com.fasterxml.jackson.databind.JsonNode node = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(json.toFile());
            return new Keypoints(floats(node.get("x")), floats(node.get("y")), floats(node.get("score")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static float[] floats(com.fasterxml.jackson.databind.JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).asDouble();
        }
        return out;
    }

    /** {@code source} with its input and outputs renamed ({@code img}, {@code out_a}, {@code out_b}). */
    static Path renamed(Path source, Path file) {
        python("import onnx, sys\n"
                + "m = onnx.load(sys.argv[1]); g = m.graph\n"
                + "ren = {'input': 'img', 'simcc_x': 'out_a', 'simcc_y': 'out_b'}\n"
                + "for v in list(g.input) + list(g.output): v.name = ren.get(v.name, v.name)\n"
                + "for n in g.node:\n"
                + "    n.input[:] = [ren.get(i, i) for i in n.input]; n.output[:] = [ren.get(o, o) for o in n.output]\n"
                + "onnx.save(m, sys.argv[2])\n", source.toString(), file.toString());
        return file;
    }

    private static void python(String code, String... args) {
        try {
            List<String> cmd = new java.util.ArrayList<>(List.of("-c", code));
            cmd.addAll(List.of(args));
            cmd = ModelsPython.command(cmd);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(p.exitValue()).as(text).isZero();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An ONNX file that runs but is not DWPose (input [1,3,256,192], output 'y'). */
    static Path wrongSignature(Path file) {
        String code = "import onnx, sys\n"
                + "from onnx import helper, TensorProto as T\n"
                + "g = helper.make_graph([helper.make_node('Identity', ['input'], ['y'])], 'other',\n"
                + "  [helper.make_tensor_value_info('input', T.FLOAT, [1, 3, 256, 192])],\n"
                + "  [helper.make_tensor_value_info('y', T.FLOAT, [1, 3, 256, 192])])\n"
                + "m = helper.make_model(g, opset_imports=[helper.make_opsetid('', 17)]); m.ir_version = 8\n"
                + "onnx.save(m, sys.argv[1])\n";
        python(code, file.toString());
        try {
            assertThat(Files.size(file)).isPositive();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
