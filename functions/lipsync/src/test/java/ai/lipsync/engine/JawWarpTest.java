package ai.lipsync.engine;

import ai.lipsync.avatar.Avatar;
import ai.lipsync.preparation.FaceBox;
import ai.lipsync.avatar.ProceduralAvatar;
import ai.lipsync.compose.BgrImage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JawWarpTest {
    private static final Avatar AVATAR = ProceduralAvatar.defaultAvatar().render(25);
    private static final FaceBox FACE = AVATAR.faceBox();

    @Test
    void apply_zero_returnsTheSourceFrameItself() {
        BgrImage frame = AVATAR.frameAt(0);

        assertThat(new JawWarp(FACE, frame).apply(frame, 0)).isSameAs(frame);
    }

    @Test
    void apply_wide_darkensBetweenTheLipsAndMovesTheChinDown() {
        BgrImage frame = AVATAR.frameAt(0);
        JawWarp warp = new JawWarp(FACE, frame);
        int cx = FACE.x() + FACE.width() / 2;
        int lip = (int) Math.round(JawWarp.findLipLine(FACE, frame));

        BgrImage open = warp.apply(frame, 1.0);

        // Just below the lip line the source shows lower lip; the opened mouth shows a dark interior.
        int below = lip + (int) (0.03 * FACE.height());
        assertThat(luma(open, cx, below)).isLessThan(luma(frame, cx, below) - 40);
        assertThat(open.data()).hasSameSizeAs(frame.data());
    }

    @Test
    void apply_moreOpening_changesMorePixels() {
        BgrImage frame = AVATAR.frameAt(0);
        JawWarp warp = new JawWarp(FACE, frame);

        assertThat(changed(frame, warp.apply(frame, 0.3))).isLessThan(changed(frame, warp.apply(frame, 1.0)));
    }

    @Test
    void findLipLine_onTheDrawnFace_findsTheMouthLine() {
        double line = JawWarp.findLipLine(FACE, AVATAR.frameAt(0));

        // The default avatar draws its mouth line at 80 % of the face box.
        assertThat(line).isBetween(FACE.y() + 0.76 * FACE.height(), FACE.y() + 0.84 * FACE.height());
    }

    @Test
    void findLipLine_onASmileShowingTeeth_findsTheRowBetweenTheLips() {
        // Skin, a red upper lip (rows 150-159), white teeth (160-167), a red lower lip (168-179), skin.
        int w = 200;
        int h = 240;
        byte[] data = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            int[] bgr = y >= 150 && y < 160 || y >= 168 && y < 180 ? new int[] {60, 40, 170}
                    : y >= 160 && y < 168 ? new int[] {235, 240, 240} : new int[] {160, 185, 225};
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    data[(y * w + x) * 3 + c] = (byte) bgr[c];
                }
            }
        }
        FaceBox face = new FaceBox(40, 0, 120, 200);

        double line = JawWarp.findLipLine(face, new BgrImage(w, h, data));

        assertThat(line).isBetween(160.0, 167.0);
    }

    private static double luma(BgrImage image, int x, int y) {
        return 0.114 * image.at(x, y, 0) + 0.587 * image.at(x, y, 1) + 0.299 * image.at(x, y, 2);
    }

    private static long changed(BgrImage a, BgrImage b) {
        long n = 0;
        for (int i = 0; i < a.data().length; i++) {
            if (a.data()[i] != b.data()[i]) {
                n++;
            }
        }
        return n;
    }
}
