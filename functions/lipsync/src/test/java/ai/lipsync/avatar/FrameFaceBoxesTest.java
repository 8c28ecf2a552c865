package ai.lipsync.avatar;

import ai.lipsync.preparation.FaceBox;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lipsync.avatar.landmarks.FaceLandmarker;
import ai.lipsync.avatar.landmarks.FaceLandmarks;
import ai.lipsync.compose.PixelBox;
import ai.lipsync.session.ErrorCode;
import ai.lipsync.session.GenerationException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FrameFaceBoxesTest {

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
    void boxes_withAKnownFaceOutsideTheFrames_isAvatarInvalid() {
        Avatar drawn = ProceduralAvatar.defaultAvatar().render(5);
        try (TemplateLandmarker landmarks = new TemplateLandmarker(); HaarFaceDetector haar = new HaarFaceDetector()) {
            FrameFaceBoxes boxes = new FrameFaceBoxes(haar, landmarks);

            assertThatThrownBy(() -> boxes.boxes("default", drawn.frames(), Optional.of(new FaceBox(500, 0, 50, 50)),
                    i -> { })).isInstanceOfSatisfying(GenerationException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.AVATAR_INVALID))
                    .hasMessageContaining("lies outside");
        }
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
            PixelBox expected = FaceBoxRule.v15().decide(lm, f, drawn.width(), drawn.height()).box();
            assertThat(found).hasSize(drawn.frames().size()).containsOnly(expected);
            assertThat(expected).as("the landmark box, not the known box as fallback")
                    .isNotEqualTo(new PixelBox(f.x(), f.y(), f.x() + f.width(), f.y() + f.height() + 10));
        }
    }
}
