package ai.lipsync.avatar;

import ai.lipsync.preparation.FaceBox;
import ai.lipsync.compose.BgrImage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProceduralAvatarTest {
    private static final Avatar AVATAR = ProceduralAvatar.defaultAvatar().render(25);

    @Test
    void render_givesTheDefaultAvatarAtTheRequestedRate() {
        assertThat(AVATAR.id()).isEqualTo("default");
        assertThat(AVATAR.fps()).isEqualTo(25);
        assertThat(AVATAR.width()).isEqualTo(512);
        assertThat(AVATAR.height()).isEqualTo(512);
        assertThat(AVATAR.frames()).hasSize(100);
        assertThat(AVATAR.faceBox().fitsIn(512, 512)).isTrue();
    }

    @Test
    void render_twice_drawsTheSamePixels() {
        Avatar again = ProceduralAvatar.defaultAvatar().render(25);

        for (int i = 0; i < AVATAR.frames().size(); i += 7) {
            assertThat(again.frames().get(i).data()).isEqualTo(AVATAR.frames().get(i).data());
        }
    }

    @Test
    void render_drawsAFaceWithSkinLipsAndEyes() {
        BgrImage frame = AVATAR.frames().get(0);
        FaceBox box = AVATAR.faceBox();
        int cx = box.x() + box.width() / 2;
        // Skin on the cheek, a dark mouth line, white in the eye.
        assertThat(frame.at(cx - 70, box.y() + box.height() / 2, 2)).isGreaterThan(180);
        int lipLine = (int) Math.round(ai.lipsync.engine.JawWarpProbe.lipLine(box, frame));
        assertThat(frame.at(cx, lipLine, 2)).isLessThan(120);
        assertThat(leftEyeWhite(frame)).isGreaterThan(300);
    }

    @Test
    void render_movesBetweenFrames_headSwayAndBlink() {
        BgrImage first = AVATAR.frames().get(0);
        BgrImage later = AVATAR.frames().get(50);
        assertThat(meanAbsDiff(first, later)).as("head sway").isGreaterThan(0.5);

        // A blink: the white of the left eye mostly disappears for a few frames.
        int[] white = AVATAR.frames().stream().mapToInt(ProceduralAvatarTest::leftEyeWhite).toArray();
        int open = java.util.Arrays.stream(white).max().orElseThrow();
        long shut = java.util.Arrays.stream(white).filter(w -> w < open * 0.4).count();
        assertThat(open).isGreaterThan(300);
        assertThat(shut).isBetween(2L, 12L);
    }

    /** Near-white pixels around the left eye. */
    private static int leftEyeWhite(BgrImage frame) {
        FaceBox box = AVATAR.faceBox();
        int ex = box.x() + box.width() / 2 - 48;
        int ey = (int) (box.y() + 0.375 * box.height());
        int n = 0;
        for (int y = ey - 20; y <= ey + 20; y++) {
            for (int x = ex - 32; x <= ex + 32; x++) {
                if (frame.at(x, y, 0) > 230 && frame.at(x, y, 1) > 230 && frame.at(x, y, 2) > 230) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void frameAt_playsForwardThenBackward() {
        int n = AVATAR.frames().size();

        assertThat(AVATAR.frameAt(0)).isSameAs(AVATAR.frames().get(0));
        assertThat(AVATAR.frameAt(n - 1)).isSameAs(AVATAR.frames().get(n - 1));
        assertThat(AVATAR.frameAt(n)).isSameAs(AVATAR.frames().get(n - 1));
        assertThat(AVATAR.frameAt(2 * n - 1)).isSameAs(AVATAR.frames().get(0));
        assertThat(AVATAR.frameAt(2 * n)).as("the cycle is 2N long").isSameAs(AVATAR.frames().get(0));
        assertThat(AVATAR.frameAt(2 * n + 3)).isSameAs(AVATAR.frames().get(3));
    }

    @Test
    void constructor_withAnOddSize_isRefused() {
        assertThatThrownBy(() -> new ProceduralAvatar(511, 512, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    static double meanAbsDiff(BgrImage a, BgrImage b) {
        long sum = 0;
        for (int i = 0; i < a.data().length; i++) {
            sum += Math.abs((a.data()[i] & 0xFF) - (b.data()[i] & 0xFF));
        }
        return sum / (double) a.data().length;
    }
}
