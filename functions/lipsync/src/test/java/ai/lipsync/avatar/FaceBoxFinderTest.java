package ai.lipsync.avatar;

import ai.lipsync.preparation.FaceBox;
import static org.assertj.core.api.Assertions.assertThat;

import ai.lipsync.avatar.landmarks.DwPoseLandmarker;
import ai.lipsync.avatar.landmarks.FaceLandmarker;
import ai.lipsync.avatar.landmarks.FaceLandmarks;
import ai.lipsync.compose.BgrImage;
import ai.lipsync.compose.PixelBox;
import ai.lipsync.musetalk.GoldenGraphs;
import ai.lipsync.testing.TestAudio;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Per-frame faces of sun.mp4: the Haar presence check, DWPose landmarks (random weights), the v1.5 rule. */
class FaceBoxFinderTest {
    private static final Path MODEL_DIR = Path.of("target", "dwpose-random").toAbsolutePath();
    private static List<BgrImage> frames;
    private static HaarFaceDetector haar;

    @BeforeAll
    static void setUp() {
        Path sun = TestAudio.sharedMedia("sun.mp4");
        Assumptions.assumeTrue(Files.exists(sun), "shared media sun.mp4 is absent: " + sun);
        GoldenGraphs.export(List.of("--random-weights", "--out", MODEL_DIR.toString()), MODEL_DIR);
        AvatarSettings settings = new AvatarSettings(sun.getParent(), 0.2, 720, Map.of(), 1);
        frames = new VideoAvatarLoader(settings, HaarFaceDetector::new)
                .load("sun", sun, 25).frames();
        haar = new HaarFaceDetector();
    }

    @AfterAll
    static void tearDown() {
        if (haar != null) {
            haar.close();
        }
    }

    /** Always answers the same landmarks: drives the rule's branches on real frames. */
    private record FixedLandmarker(FaceLandmarks landmarks) implements FaceLandmarker {
        @Override
        public FaceLandmarks detect(BgrImage frame) {
            return landmarks;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void find_onSunFrames_withDwPose_givesBoxesInsideTheFrameThatObeyTheRule() {
        FaceBoxRule rule = FaceBoxRule.v15();
        try (DwPoseLandmarker dw = new DwPoseLandmarker(MODEL_DIR.resolve("dw-ll_ucoco_384.onnx"))) {
            FaceBoxFinder finder = new FaceBoxFinder(dw, haar, rule);
            int faces = 0;
            for (BgrImage frame : frames) {
                Optional<FaceBoxFinder.FrameFace> found = finder.find(frame);
                assertThat(found.isPresent()).as("face presence = the Haar check")
                        .isEqualTo(haar.detect(frame).isPresent());
                if (found.isEmpty()) {
                    continue;
                }
                faces++;
                FaceBoxFinder.FrameFace face = found.get();
                PixelBox box = face.decision().box();
                assertThat(box.x1()).isGreaterThanOrEqualTo(0);
                assertThat(box.y1()).isGreaterThanOrEqualTo(0);
                assertThat(box.x2()).isLessThanOrEqualTo(frame.width());
                assertThat(box.y2()).isLessThanOrEqualTo(frame.height());
                Optional<PixelBox> fromLandmarks = rule.landmarkBox(face.landmarks(), frame.width(), frame.height());
                if (fromLandmarks.isPresent()) {
                    assertThat(face.decision().source()).isEqualTo(FaceBoxRule.Source.LANDMARKS);
                    assertThat(box).isEqualTo(rule.withMargin(fromLandmarks.get(), frame.height()));
                } else {
                    FaceBox h = haar.detect(frame).orElseThrow();
                    assertThat(face.decision().source()).isEqualTo(FaceBoxRule.Source.DETECTOR_FALLBACK);
                    assertThat(box).isEqualTo(rule.withMargin(
                            new PixelBox(h.x(), h.y(), h.x() + h.width(), h.y() + h.height()), frame.height()));
                }
            }
            assertThat(faces).as("sun.mp4 shows a face").isPositive();
        }
    }

    @Test
    void find_withDegenerateLandmarks_fallsBackToTheHaarBoxPlusMargin() {
        float[] same = new float[68];
        Arrays.fill(same, 5f); // zero-width box
        FaceBoxFinder finder = new FaceBoxFinder(new FixedLandmarker(new FaceLandmarks(same, same)), haar,
                FaceBoxRule.v15());
        BgrImage frame = frames.stream().filter(f -> haar.detect(f).isPresent()).findFirst().orElseThrow();
        FaceBox h = haar.detect(frame).orElseThrow();
        FaceBoxFinder.FrameFace face = finder.find(frame).orElseThrow();
        assertThat(face.decision().source()).isEqualTo(FaceBoxRule.Source.DETECTOR_FALLBACK);
        assertThat(face.decision().box()).isEqualTo(new PixelBox(h.x(), h.y(), h.x() + h.width(),
                Math.min(h.y() + h.height() + 10, frame.height())));
    }

    @Test
    void find_onAFrameWithoutAFace_givesEmpty() {
        BgrImage grey = frames.get(0).copy();
        Arrays.fill(grey.data(), (byte) 90);
        float[] any = new float[68];
        FaceBoxFinder finder = new FaceBoxFinder(new FixedLandmarker(new FaceLandmarks(any, any)), haar,
                FaceBoxRule.v15());
        assertThat(finder.find(grey)).isEmpty();
    }
}
