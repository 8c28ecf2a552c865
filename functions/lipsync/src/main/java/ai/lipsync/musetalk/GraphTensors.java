package ai.lipsync.musetalk;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.lipsync.musetalk.ModelManifest.GraphSpec;
import ai.lipsync.musetalk.ModelManifest.TensorSpec;
import java.util.List;
import java.util.Locale;

/**
 * Shape checks, batch padding and dtype conversion shared by the translators. Every array is made
 * on the manager it is given (the translator context's), so it is freed when the call ends.
 */
final class GraphTensors {

    private GraphTensors() {
    }

    /**
     * The batch the graph runs for {@code count} items: {@code count} when the batch axis is dynamic,
     * else the traced batch (inputs are zero-padded up to it).
     */
    static int runBatch(GraphSpec spec, int count) {
        if (spec.dynamicBatch()) {
            return count;
        }
        if (count > spec.batch()) {
            throw new InferenceException(InferenceException.Kind.SHAPE, "batch too large [graph=" + spec.name()
                    + ", expected<=" + spec.batch() + ", actual=" + count + "]: split the work into batches of "
                    + spec.batch() + " or export with a larger --batch");
        }
        return spec.batch();
    }

    /**
     * Checks {@code actual} (without the batch axis when {@code batched}) against the manifest's spec
     * for input {@code index}; a mismatch is a SHAPE {@link InferenceException} naming both shapes.
     */
    static void checkShape(GraphSpec spec, int index, long[] actual, boolean batched) {
        if (index >= spec.inputs().size()) {
            return; // the manifest does not describe this input: libtorch checks it
        }
        TensorSpec t = spec.inputs().get(index);
        List<Long> want = t.shape();
        boolean ok = want.size() == actual.length;
        for (int i = 0; ok && i < actual.length; i++) {
            long w = want.get(i);
            boolean batchAxis = batched && i == 0;
            ok = w < 0 || batchAxis || w == actual[i];
        }
        if (!ok) {
            throw new InferenceException(InferenceException.Kind.SHAPE, "input shape mismatch [graph=" + spec.name()
                    + ", input=" + t.name() + ", expected=" + t.shapeText() + ", actual="
                    + ModelManifest.shapeText(actual) + "]");
        }
    }

    /** A float32 array of {@code shape} whose first {@code data.length} values are {@code data}, rest zeros. */
    static NDArray floats(NDManager manager, float[] data, long[] shape, GraphSpec spec, int index) {
        Shape s = new Shape(shape);
        NDArray a;
        if (data.length == s.size()) {
            a = manager.create(data, s);
        } else {
            float[] padded = new float[Math.toIntExact(s.size())];
            System.arraycopy(data, 0, padded, 0, data.length);
            a = manager.create(padded, s);
        }
        return toInputType(a, spec, index);
    }

    /** A uint8 array of {@code shape}, zero-padded like {@link #floats}. */
    static NDArray bytes(NDManager manager, byte[] data, long[] shape) {
        Shape s = new Shape(shape);
        byte[] full = data.length == s.size() ? data : java.util.Arrays.copyOf(data, Math.toIntExact(s.size()));
        return manager.create(java.nio.ByteBuffer.wrap(full), s, DataType.UINT8);
    }

    /** fp16 graphs may declare fp16 inputs: convert on the device, after the transfer. */
    private static NDArray toInputType(NDArray a, GraphSpec spec, int index) {
        if (index < spec.inputs().size()) {
            String dt = spec.inputs().get(index).dtype().toLowerCase(Locale.ROOT);
            if (dt.contains("16") && !dt.contains("int")) {
                return a.toType(DataType.FLOAT16, false);
            }
        }
        return a;
    }

    /** The first {@code count * perItem} values of an output, as float32. */
    static float[] floatsOut(NDArray out, int count, int perItem) {
        NDArray f = out.getDataType() == DataType.FLOAT32 ? out : out.toType(DataType.FLOAT32, false);
        float[] all = f.toFloatArray();
        if (all.length < (long) count * perItem) {
            throw new InferenceException(InferenceException.Kind.SHAPE, "output too small [expected>="
                    + ((long) count * perItem) + " values, actual=" + all.length + ", shape=" + out.getShape() + "]");
        }
        return all.length == count * perItem ? all : java.util.Arrays.copyOf(all, count * perItem);
    }

    /** The first {@code count} latents of a batched [B,4,32,32] output (the UNet's, VAE encode's). */
    static LatentBatch latentsOut(GraphSpec spec, NDArray out, int count) {
        checkOutput(spec, out, 4, 32, 32);
        return new LatentBatch(count, 4, 32, 32, floatsOut(out, count, 4 * 32 * 32));
    }

    static void checkOutput(GraphSpec spec, NDArray out, long... expectedTail) {
        long[] s = out.getShape().getShape();
        boolean ok = s.length >= expectedTail.length;
        for (int i = 0; ok && i < expectedTail.length; i++) {
            ok = s[s.length - expectedTail.length + i] == expectedTail[i];
        }
        if (!ok) {
            throw new InferenceException(InferenceException.Kind.SHAPE, "output shape mismatch [graph=" + spec.name()
                    + ", expected=(B," + join(expectedTail) + "), actual=" + ModelManifest.shapeText(s) + "]");
        }
    }

    private static String join(long[] v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            sb.append(i > 0 ? "," : "").append(v[i]);
        }
        return sb.toString();
    }
}
