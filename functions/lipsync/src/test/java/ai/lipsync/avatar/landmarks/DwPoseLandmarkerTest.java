package ai.lipsync.avatar.landmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.lipsync.avatar.AvatarSettings;
import ai.lipsync.avatar.HaarFaceDetector;
import ai.lipsync.avatar.VideoAvatarLoader;
import ai.lipsync.compose.BgrImage;
import ai.lipsync.musetalk.ModelFileException;
import ai.lipsync.testing.TestAudio;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The landmarker's pieces against hand-computed cases, and the whole thing on frames of sun.mp4
 * with a random-weights model of DWPose's signature exported at test time, so the real warp,
 * normalisation, ONNX Runtime call, flip test and SimCC decode run.
 */
class DwPoseLandmarkerTest {
    private static final Path MODEL_DIR = Path.of("target", "dwpose-random").toAbsolutePath();
    private static Path model;

    @BeforeAll
    static void export() {
        model = DwPoseModels.randomWeights(MODEL_DIR);
    }

    static List<BgrImage> sunFrames(double seconds) {
        Path sun = TestAudio.sharedMedia("sun.mp4");
        Assumptions.assumeTrue(Files.exists(sun), "shared media sun.mp4 is absent: " + sun);
        AvatarSettings settings = new AvatarSettings(sun.getParent(), seconds, 720, Map.of(), 1);
        return new VideoAvatarLoader(settings, HaarFaceDetector::new).load("sun", sun, 25).frames();
    }

    @Test
    void normalise_turnsBgrIntoRgbPlanes_withMmposeMeanAndStd() {
        BgrImage px = new BgrImage(2, 1, new byte[] {10, 20, 30, (byte) 255, 0, (byte) 128});
        float[] t = DwPoseLandmarker.normalise(px);
        assertThat(t).hasSize(6);
        assertThat(t[0]).isCloseTo((30 - 123.675f) / 58.395f, within(1e-6f)); // R of pixel 0
        assertThat(t[1]).isCloseTo((128 - 123.675f) / 58.395f, within(1e-6f)); // R of pixel 1
        assertThat(t[2]).isCloseTo((20 - 116.28f) / 57.12f, within(1e-6f)); // G
        assertThat(t[3]).isCloseTo((0 - 116.28f) / 57.12f, within(1e-6f));
        assertThat(t[4]).isCloseTo((10 - 103.53f) / 57.375f, within(1e-6f)); // B
        assertThat(t[5]).isCloseTo((255 - 103.53f) / 57.375f, within(1e-6f));
    }

    @Test
    void mirror_reversesEveryRowOfEveryPlane() {
        float[] in = new float[3 * 384 * 288];
        Random r = new Random(1);
        for (int i = 0; i < in.length; i++) {
            in[i] = r.nextFloat();
        }
        float[] out = DwPoseLandmarker.mirror(in);
        int row = 2 * 384 + 17; // blue plane, row 17
        assertThat(out[row * 288]).isEqualTo(in[row * 288 + 287]);
        assertThat(out[row * 288 + 100]).isEqualTo(in[row * 288 + 187]);
        assertThat(DwPoseLandmarker.mirror(out)).containsExactly(in);
    }

    @Test
    void unflip_swapsThePairedKeypoints_andReversesOnlyTheXBins() {
        float[] x = {1, 2, 3, 4, 5, 6}; // K=2, 3 x bins
        float[] y = {7, 8, 9, 10}; // 2 y bins
        float[][] u = DwPoseLandmarker.unflip(x, y, new int[] {1, 0});
        assertThat(u[0]).containsExactly(6, 5, 4, 3, 2, 1);
        assertThat(u[1]).containsExactly(9, 10, 7, 8);
    }

    @Test
    void wholeBodyFlipTable_isAnInvolution_pairingFaceJawEndsAndHands() {
        int[] f = WholeBodyFlip.indices();
        for (int i = 0; i < f.length; i++) {
            assertThat(f[f[i]]).isEqualTo(i);
        }
        assertThat(f[0]).isZero(); // nose
        assertThat(f[1]).isEqualTo(2); // eyes
        assertThat(f[23]).isEqualTo(39); // face 0 <-> 16 (jaw ends)
        assertThat(f[23 + 29]).isEqualTo(23 + 29); // nose bridge stays
        assertThat(f[23 + 36]).isEqualTo(23 + 45); // outer eye corners
        assertThat(f[23 + 62]).isEqualTo(23 + 62);
        assertThat(f[91]).isEqualTo(112); // hand roots
    }

    @Test
    void detect_onSunFrames_gives68FinitePointsInsideThePaddedBox_thatFollowTheFrame() {
        List<BgrImage> frames = sunFrames(0.2);
        BgrImage first = frames.get(0);
        TopDownAffine box = TopDownAffine.wholeFrame(first.width(), first.height(), 1.25, 288, 384);
        try (DwPoseLandmarker landmarker = new DwPoseLandmarker(model)) {
            for (BgrImage frame : frames) {
                FaceLandmarks lm = landmarker.detect(frame);
                for (int i = 0; i < 68; i++) {
                    assertThat(Float.isFinite(lm.x(i)) && Float.isFinite(lm.y(i))).isTrue();
                    assertThat((double) lm.x(i)).isBetween(box.frameX(0), box.frameX(288));
                    assertThat((double) lm.y(i)).isBetween(box.frameY(0), box.frameY(384));
                }
            }
            FaceLandmarks a = landmarker.detect(first);
            assertThat(landmarker.detect(first)).as("deterministic").isEqualTo(a);
            BgrImage dark = new BgrImage(first.width(), first.height(), new byte[first.data().length]);
            assertThat(landmarker.detect(dark)).as("the landmarks depend on the image").isNotEqualTo(a);
        }
    }

    @Test
    void detectWholeBody_withAndWithoutFlipTest_decodesAll133PointsWithPositiveScores() {
        BgrImage frame = sunFrames(0.04).get(0);
        try (DwPoseLandmarker flip = new DwPoseLandmarker(model, true, 1);
                DwPoseLandmarker plain = new DwPoseLandmarker(model, false, 1)) {
            Keypoints a = flip.detectWholeBody(frame);
            Keypoints b = plain.detectWholeBody(frame);
            assertThat(a.count()).isEqualTo(133);
            for (float s : a.score()) {
                assertThat(s).isPositive();
            }
            assertThat(a).as("the mirrored pass is averaged in").isNotEqualTo(b);
        }
    }

    @Test
    void detectWholeBody_onASunFrame_agreesWithTheNumpyRestatementOfMmpose(@TempDir Path work) {
        BgrImage frame = sunFrames(0.04).get(0);
        Keypoints python = DwPoseModels.pythonReference(model, frame, work);
        TopDownAffine box = TopDownAffine.wholeFrame(frame.width(), frame.height(), 1.25, 288, 384);
        double bin = box.scaleWidth() / 288 / 2; // one SimCC bin in frame pixels
        try (DwPoseLandmarker landmarker = new DwPoseLandmarker(model)) {
            Keypoints java = landmarker.detectWholeBody(frame);
            int same = 0;
            for (int k = 0; k < 133; k++) {
                assertThat(java.score(k)).as("score " + k).isCloseTo(python.score(k), within(1e-2f));
                if (Math.abs(java.x(k) - python.x(k)) <= bin + 1e-3
                        && Math.abs(java.y(k) - python.y(k)) <= bin + 1e-3) {
                    same++;
                }
            }
            // OpenCV rounds its bilinear weights to 1/32 px, numpy does not: a near-tie argmax may move
            // all 133 agree here; a margin of 3 for platforms where OpenCV's rounding breaks a near-tie
            assertThat(same).as("keypoints within one SimCC bin of the reference").isGreaterThanOrEqualTo(130);
        }
    }

    @Test
    void detect_withOtherTensorNamesButDwposesShapes_readsTheOutputsByPosition(@TempDir Path dir) {
        Path renamed = DwPoseModels.renamed(model, dir.resolve("renamed.onnx"));
        BgrImage frame = sunFrames(0.04).get(0);
        try (DwPoseLandmarker standard = new DwPoseLandmarker(model, false, 1);
                DwPoseLandmarker other = new DwPoseLandmarker(renamed, false, 1)) {
            assertThat(other.detectWholeBody(frame)).isEqualTo(standard.detectWholeBody(frame));
        }
    }

    @Test
    void constructor_withMissingFile_namesTheFileAndTheSetupCommand(@TempDir Path dir) {
        Path absent = dir.resolve("dw-ll_ucoco_384.onnx");
        assertThatThrownBy(() -> new DwPoseLandmarker(absent))
                .isInstanceOf(ModelFileException.class)
                .hasMessageContaining(absent.toString()).hasMessageContaining("musetalk_models.setup")
                .satisfies(e -> assertThat(((ModelFileException) e).file()).isEqualTo(absent));
    }

    @Test
    void constructor_withCorruptFile_namesTheFile(@TempDir Path dir) throws Exception {
        Path corrupt = dir.resolve("dw-ll_ucoco_384.onnx");
        Files.write(corrupt, Files.readAllBytes(model), java.nio.file.StandardOpenOption.CREATE);
        byte[] head = new byte[64];
        new Random(3).nextBytes(head);
        Files.write(corrupt, head); // truncated garbage
        assertThatThrownBy(() -> new DwPoseLandmarker(corrupt))
                .isInstanceOf(ModelFileException.class)
                .hasMessageContaining(corrupt.toString()).hasMessageContaining("could not be loaded");
    }

    @Test
    void constructor_withAnotherModelsSignature_namesTheFileAndTheExpectedSignature(@TempDir Path dir) {
        Path other = DwPoseModels.wrongSignature(dir.resolve("other.onnx"));
        assertThatThrownBy(() -> new DwPoseLandmarker(other))
                .isInstanceOf(ModelFileException.class)
                .hasMessageContaining(other.toString()).hasMessageContaining("simcc_x[1,133,576]");
    }
}
