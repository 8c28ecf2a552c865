package ai.lipsync.avatar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lipsync.compose.PixelBox;
import ai.lipsync.session.ErrorCode;
import ai.lipsync.session.GenerationException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FrameFaceBoxesTest {

    /** 68 points at (100.9, 50.7) but for a few that make the box. */
    private static FaceLandmarks landmarks(float noseY, float chinY, float leftX, float rightX) {
        float[] x = new float[68];
        float[] y = new float[68];
        Arrays.fill(x, 100.9f);
        Arrays.fill(y, 50.7f);
        x[0] = leftX;
        x[16] = rightX;
        y[8] = chinY;
        y[29] = noseY;
        return new FaceLandmarks(x, y);
    }

    @Test
    void landmarkBox_mirrorsTheChinAboutNosePoint29AndTruncates() {
        // y29 = 120 (120.9 truncated), ymax = 200 (200.6): y1 = 120 - 80 = 40; x 60 .. 141.
        Optional<PixelBox> box = FrameFaceBoxes.landmarkBox(landmarks(120.9f, 200.6f, 60.99f, 141.5f));

        assertThat(box).contains(new PixelBox(60, 40, 141, 200));
    }

    @Test
    void landmarkBox_clampsTheTopAtZero() {
        assertThat(FrameFaceBoxes.landmarkBox(landmarks(30f, 100f, 10f, 141.5f))).contains(new PixelBox(10, 0, 141, 100));
    }

    @Test
    void landmarkBox_isEmptyWhenDegenerateOrLeftOfTheFrame() {
        assertThat(FrameFaceBoxes.landmarkBox(landmarks(30f, 100f, -3f, 90f))).as("x1 < 0").isEmpty();
        float[] same = new float[68];
        Arrays.fill(same, 40f);
        assertThat(FrameFaceBoxes.landmarkBox(new FaceLandmarks(same, same))).as("a single point").isEmpty();
    }

    @Test
    void clampWithMargin_addsTenPixelsBelowWithinTheFrame() {
        assertThat(FrameFaceBoxes.clampWithMargin(new PixelBox(10, 20, 50, 60), 100, 100))
                .contains(new PixelBox(10, 20, 50, 70));
        assertThat(FrameFaceBoxes.clampWithMargin(new PixelBox(10, 20, 120, 95), 100, 100))
                .contains(new PixelBox(10, 20, 100, 100));
    }

    @Test
    void fillGaps_facelessFramesTakeTheNearestGoodFrameEarlierOnATie() {
        PixelBox a = new PixelBox(0, 0, 10, 10);
        PixelBox b = new PixelBox(5, 5, 20, 20);
        List<Optional<PixelBox>> found = List.of(Optional.empty(), Optional.of(a), Optional.empty(), Optional.empty(),
                Optional.of(b), Optional.empty());

        assertThat(FrameFaceBoxes.fillGaps("x", found)).containsExactly(a, a, a, b, b, b);
    }

    @Test
    void fillGaps_noFaceAnywhere_isAvatarInvalidWithASentence() {
        assertThatThrownBy(() -> FrameFaceBoxes.fillGaps("wall", List.of(Optional.empty(), Optional.empty())))
                .isInstanceOfSatisfying(GenerationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.AVATAR_INVALID))
                .hasMessage("No face was found in any of the 2 frames of the avatar video 'wall'; use a video that "
                        + "shows one frontal face.");
    }

    @Test
    void boxes_withAKnownFace_useItWhereTheCascadeSeesNone() {
        // The drawn default avatar: the cascade misses its face in most frames, its own face box stands in.
        Avatar drawn = ProceduralAvatar.defaultAvatar().render(5);
        FaceBox f = drawn.faceBox();
        FaceLandmarks lm = TemplateLandmarker.around(f.x(), f.y(), f.width(), f.height());
        FaceLandmarker onTheKnownFace = new FaceLandmarker() {
            @Override
            public FaceLandmarks detect(ai.lipsync.compose.BgrImage frame) {
                return lm;
            }

            @Override
            public void close() {
            }
        };
        try (HaarFaceDetector haar = new HaarFaceDetector()) {
            FrameFaceBoxes boxes = new FrameFaceBoxes(haar, onTheKnownFace);

            assertThat(drawn.frames().stream().map(fr -> boxes.box(fr, Optional.empty())).toList())
                    .anyMatch(Optional::isEmpty);
            List<PixelBox> found = boxes.boxes("default", drawn.frames(), Optional.of(f), i -> { });
            PixelBox expected = FrameFaceBoxes.clampWithMargin(FrameFaceBoxes.landmarkBox(lm).orElseThrow(),
                    drawn.width(), drawn.height()).orElseThrow();
            assertThat(found).hasSize(drawn.frames().size()).containsOnly(expected);
        }
    }
}
