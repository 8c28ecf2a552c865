package ai.lipsync.avatar.landmarks;

import ai.lipsync.compose.BgrImage;
import ai.lipsync.musetalk.InferenceErrors;
import ai.lipsync.musetalk.InferenceException;
import ai.lipsync.musetalk.ModelFileException;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DWPose (RTMPose-l whole-body, the published {@code dw-ll_ucoco_384.onnx}) on ONNX Runtime, run as
 * MuseTalk runs it through mmpose's {@code inference_topdown} with no boxes: the whole frame is the
 * person box, padded by 1.25 and fitted to 288:384, affine-warped to 288x384 (bilinear), BGR turned
 * to RGB and normalised with the ImageNet mean/std in 0..255, SimCC-decoded (split ratio 2), and
 * mapped back to the frame. With the flip test (the config's {@code flip_test=True}) the mirrored
 * crop is run too and its SimCC vectors, re-paired left/right and reversed along x, are averaged in.
 * The face is whole-body keypoints 23..90 (iBUG-68 order).
 *
 * <p>DWPose's own ONNX demo ({@code onnxpose.py}) differs in two ways that we do not follow, because
 * MuseTalk's landmarks come from mmpose: it normalises the BGR image with the RGB mean/std (no channel
 * swap) and runs no flip test. {@code new DwPoseLandmarker(file, false, 0)} drops the flip test.
 *
 * <p>One ONNX Runtime session per instance; not thread-safe (see {@link FaceLandmarker}).
 */
public final class DwPoseLandmarker implements FaceLandmarker {
    private static final Logger log = LoggerFactory.getLogger(DwPoseLandmarker.class);

    public static final String INPUT = "input";
    public static final String OUTPUT_X = "simcc_x";
    public static final String OUTPUT_Y = "simcc_y";
    public static final int INPUT_WIDTH = 288;
    public static final int INPUT_HEIGHT = 384;
    public static final double PADDING = 1.25;
    /** RGB order, as mmpose's data preprocessor applies them after {@code bgr_to_rgb}. */
    static final float[] MEAN_RGB = {123.675f, 116.28f, 103.53f};
    static final float[] STD_RGB = {58.395f, 57.12f, 57.375f};

    private final Path modelFile;
    private final boolean flipTest;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final Signature signature;
    private final int[] flip = WholeBodyFlip.indices();

    /** The reference's settings: flip test on, ONNX Runtime's default thread count. */
    public DwPoseLandmarker(Path modelFile) {
        this(modelFile, true, 0);
    }

    /**
     * @param flipTest also run the mirrored crop and average (twice the work; what MuseTalk does)
     * @param threads ONNX Runtime intra-op threads, 0 for its default
     * @throws ModelFileException when the file is missing, unloadable or not DWPose's signature
     */
    public DwPoseLandmarker(Path modelFile, boolean flipTest, int threads) {
        this.modelFile = modelFile;
        this.flipTest = flipTest;
        if (!Files.isRegularFile(modelFile)) {
            throw new ModelFileException(modelFile, "DWPose model file " + modelFile + " is missing: run the model "
                    + "setup ('python3 -m musetalk_models.setup')");
        }
        this.env = OrtEnvironment.getEnvironment();
        OrtSession opened;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            if (threads > 0) {
                options.setIntraOpNumThreads(threads);
            }
            opened = env.createSession(modelFile.toString(), options);
        } catch (OrtException e) {
            throw new ModelFileException(modelFile, "DWPose model file " + modelFile + " could not be loaded by ONNX "
                    + "Runtime: " + e.getMessage(), e);
        }
        try {
            this.signature = checkSignature(opened);
        } catch (RuntimeException e) {
            closeQuietly(opened);
            throw e;
        }
        this.session = opened;
        log.info("loaded DWPose [file={}, flipTest={}, signature={}]", modelFile, flipTest, signature);
    }

    /** The tensor names of this file and its SimCC split ratio. */
    private record Signature(String input, String outputX, String outputY, double splitRatio) {
    }

    /**
     * Checks dtypes and shapes against DWPose's. Names are taken from the file: mmdeploy names them
     * {@code input}, {@code simcc_x}, {@code simcc_y}, and DWPose's own code feeds the first input and
     * reads the outputs by position, so other names are accepted (x first) when the shapes fit.
     */
    private Signature checkSignature(OrtSession s) {
        try {
            Map<String, NodeInfo> in = s.getInputInfo();
            Map<String, NodeInfo> out = s.getOutputInfo();
            if (in.size() != 1 || out.size() != 2) {
                throw signatureError("inputs " + in.keySet() + ", outputs " + out.keySet());
            }
            String inputName = in.keySet().iterator().next();
            List<String> outs = new ArrayList<>(out.keySet());
            if (out.containsKey(OUTPUT_X) && out.containsKey(OUTPUT_Y)) {
                outs = List.of(OUTPUT_X, OUTPUT_Y);
            }
            long[] input = shape(in, inputName);
            long[] x = shape(out, outs.get(0));
            long[] y = shape(out, outs.get(1));
            boolean ok = input.length == 4 && input[1] == 3 && input[2] == INPUT_HEIGHT
                    && input[3] == INPUT_WIDTH && x.length == 3 && y.length == 3
                    && x[1] == WholeBodyFlip.KEYPOINTS && y[1] == WholeBodyFlip.KEYPOINTS
                    && x[2] > 0 && x[2] % INPUT_WIDTH == 0 && y[2] * INPUT_WIDTH == x[2] * INPUT_HEIGHT;
            if (!ok) {
                throw signatureError(inputName + Arrays.toString(input) + ", " + outs.get(0) + Arrays.toString(x)
                        + ", " + outs.get(1) + Arrays.toString(y));
            }
            return new Signature(inputName, outs.get(0), outs.get(1), (double) x[2] / INPUT_WIDTH);
        } catch (OrtException e) {
            throw new ModelFileException(modelFile, "DWPose model file " + modelFile + ": " + e.getMessage(), e);
        }
    }

    private long[] shape(Map<String, NodeInfo> nodes, String name) {
        NodeInfo node = nodes.get(name);
        if (node == null || !(node.getInfo() instanceof TensorInfo t) || t.type != OnnxJavaType.FLOAT) {
            throw signatureError("no float tensor '" + name + "' (has " + nodes.keySet() + ")");
        }
        return t.getShape();
    }

    private ModelFileException signatureError(String detail) {
        return new ModelFileException(modelFile, "DWPose model file " + modelFile + " does not have DWPose's "
                + "signature input[1,3,384,288] -> simcc_x[1,133,576], simcc_y[1,133,768]: " + detail);
    }

    @Override
    public FaceLandmarks detect(BgrImage frame) {
        Keypoints all = detectWholeBody(frame);
        float[] x = new float[FaceLandmarks.COUNT];
        float[] y = new float[FaceLandmarks.COUNT];
        for (int i = 0; i < FaceLandmarks.COUNT; i++) {
            x[i] = all.x(WholeBodyFlip.FACE_FIRST + i);
            y[i] = all.y(WholeBodyFlip.FACE_FIRST + i);
        }
        return new FaceLandmarks(x, y);
    }

    /** All 133 whole-body keypoints in frame pixels with their SimCC scores. */
    public Keypoints detectWholeBody(BgrImage frame) {
        TopDownAffine affine = TopDownAffine.wholeFrame(frame.width(), frame.height(), PADDING, INPUT_WIDTH,
                INPUT_HEIGHT);
        float[] input = normalise(affine.warp(frame));
        float[][] simcc = run(input);
        if (flipTest) {
            float[][] mirrored = run(mirror(input));
            average(simcc, unflip(mirrored[0], mirrored[1], flip));
        }
        Keypoints decoded = SimCcDecoder.decode(simcc[0], simcc[1], WholeBodyFlip.KEYPOINTS,
                signature.splitRatio());
        float[] x = new float[decoded.count()];
        float[] y = new float[decoded.count()];
        for (int k = 0; k < x.length; k++) {
            x[k] = (float) affine.frameX(decoded.x(k));
            y[k] = (float) affine.frameY(decoded.y(k));
        }
        return new Keypoints(x, y, decoded.score());
    }

    /** A 288x384 BGR crop as the model input: RGB planes (CHW), {@code (v - mean) / std}. */
    static float[] normalise(BgrImage crop) {
        int plane = crop.width() * crop.height();
        float[] out = new float[3 * plane];
        byte[] bgr = crop.data();
        for (int p = 0; p < plane; p++) {
            for (int c = 0; c < 3; c++) {
                int v = bgr[p * 3 + (2 - c)] & 0xFF; // plane c is R, G, B = byte 2, 1, 0
                out[c * plane + p] = (v - MEAN_RGB[c]) / STD_RGB[c];
            }
        }
        return out;
    }

    /** The input mirrored left-right ({@code inputs.flip(-1)}). */
    static float[] mirror(float[] chw) {
        float[] out = new float[chw.length];
        for (int row = 0; row < chw.length / INPUT_WIDTH; row++) {
            int base = row * INPUT_WIDTH;
            for (int i = 0; i < INPUT_WIDTH; i++) {
                out[base + i] = chw[base + INPUT_WIDTH - 1 - i];
            }
        }
        return out;
    }

    /** mmpose's {@code flip_vectors}: x = x[:, flip].flip(-1), y = y[:, flip]. */
    static float[][] unflip(float[] x, float[] y, int[] flip) {
        int k = flip.length;
        int wx = x.length / k;
        int wy = y.length / k;
        float[] fx = new float[x.length];
        float[] fy = new float[y.length];
        for (int i = 0; i < k; i++) {
            int src = flip[i];
            for (int b = 0; b < wx; b++) {
                fx[i * wx + b] = x[src * wx + (wx - 1 - b)];
            }
            System.arraycopy(y, src * wy, fy, i * wy, wy);
        }
        return new float[][] {fx, fy};
    }

    private static void average(float[][] into, float[][] other) {
        for (int a = 0; a < 2; a++) {
            for (int i = 0; i < into[a].length; i++) {
                into[a][i] = (into[a][i] + other[a][i]) * 0.5f;
            }
        }
    }

    private float[][] run(float[] input) {
        long[] shape = {1, 3, INPUT_HEIGHT, INPUT_WIDTH};
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), shape);
                OrtSession.Result result = session.run(Map.of(signature.input(), tensor))) {
            return new float[][] {floats(result, signature.outputX()), floats(result, signature.outputY())};
        } catch (OrtException e) {
            // ONNX Runtime's arena reports "Failed to allocate memory": inference_oom like libtorch's.
            throw InferenceErrors.wrap("dwpose", "file=" + modelFile, e);
        }
    }

    private static float[] floats(OrtSession.Result result, String name) {
        OnnxTensor t = (OnnxTensor) result.get(name).orElseThrow(
                () -> new InferenceException(InferenceException.Kind.SHAPE, "DWPose gave no output '" + name + "'"));
        FloatBuffer buffer = t.getFloatBuffer();
        float[] out = new float[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    public Path modelFile() {
        return modelFile;
    }

    @Override
    public void close() {
        closeQuietly(session);
    }

    private static void closeQuietly(OrtSession s) {
        try {
            s.close();
        } catch (OrtException e) {
            log.warn("closing the DWPose session failed: {}", e.getMessage());
        }
    }
}
