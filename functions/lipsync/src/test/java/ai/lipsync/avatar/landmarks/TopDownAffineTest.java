package ai.lipsync.avatar.landmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.lipsync.compose.BgrImage;
import org.junit.jupiter.api.Test;

class TopDownAffineTest {

    @Test
    void wholeFrame_landscape_padsBy125_widensHeightToAspect_andMapsCentreToCentre() {
        // box 640x360 -> 800x450 padded; 800 > 450*0.75, so height = 800/0.75; s = 288/800 = 0.36
        TopDownAffine a = TopDownAffine.wholeFrame(640, 360, 1.25, 288, 384);
        assertThat(a.centerX()).isEqualTo(320.0);
        assertThat(a.centerY()).isEqualTo(180.0);
        assertThat(a.scaleWidth()).isEqualTo(800.0);
        assertThat(a.scaleHeight()).isCloseTo(1066.6667, within(1e-3));
        assertThat(a.matrix()).containsExactly(new double[] {0.36, 0, 28.8, 0, 0.36, 127.2}, within(1e-9));
    }

    @Test
    void wholeFrame_portrait_widensWidthToAspect() {
        // box 300x800 -> 375x1000; 375 < 1000*0.75, so width = 750; s = 288/750 = 0.384
        TopDownAffine a = TopDownAffine.wholeFrame(300, 800, 1.25, 288, 384);
        assertThat(a.scaleWidth()).isEqualTo(750.0);
        assertThat(a.scaleHeight()).isEqualTo(1000.0);
        assertThat(a.matrix()).containsExactly(new double[] {0.384, 0, 86.4, 0, 0.384, 38.4}, within(1e-9));
    }

    @Test
    void frameXy_isMmposesKeypointMapping_theInverseOfTheWarp() {
        TopDownAffine a = TopDownAffine.wholeFrame(640, 360, 1.25, 288, 384);
        // kpt / input_size * scale + center - scale / 2
        assertThat(a.frameX(144)).isCloseTo(320.0, within(1e-9));
        assertThat(a.frameY(192)).isCloseTo(180.0, within(1e-9));
        assertThat(a.frameX(0)).isCloseTo(-80.0, within(1e-9));
        assertThat(a.frameX(100)).isCloseTo((100 - 28.8) / 0.36, within(1e-9));
        assertThat(a.frameY(300)).isCloseTo((300 - 127.2) / 0.36, within(1e-9));
    }

    @Test
    void warp_ofLinearRamps_givesTheBilinearValuesAtTheHandComputedSourcePoints_andBlackOutside() {
        // 100x40 frame: blue = 2x, green = 5y, red = 7. Box 125x50 -> 125x166.67; s = 288/125 = 2.304,
        // tx = 144 - 2.304*50 = 28.8, ty = 192 - 2.304*20 = 145.92
        int w = 100;
        int h = 40;
        byte[] data = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                data[(y * w + x) * 3] = (byte) (2 * x);
                data[(y * w + x) * 3 + 1] = (byte) (5 * y);
                data[(y * w + x) * 3 + 2] = 7;
            }
        }
        BgrImage out = TopDownAffine.wholeFrame(w, h, 1.25, 288, 384).warp(new BgrImage(w, h, data));
        assertThat(out.width()).isEqualTo(288);
        assertThat(out.height()).isEqualTo(384);
        int[][] points = {{100, 180}, {144, 192}, {200, 170}, {60, 200}};
        for (int[] p : points) {
            double sx = (p[0] - 28.8) / 2.304;
            double sy = (p[1] - 145.92) / 2.304;
            assertThat(out.at(p[0], p[1], 0)).as("blue at " + p[0] + "," + p[1]).isCloseTo((int) Math.round(2 * sx),
                    org.assertj.core.api.Assertions.within(1));
            assertThat(out.at(p[0], p[1], 1)).as("green at " + p[0] + "," + p[1]).isCloseTo((int) Math.round(5 * sy),
                    org.assertj.core.api.Assertions.within(1));
            assertThat(out.at(p[0], p[1], 2)).isEqualTo(7);
        }
        // (10, 100) maps to (-8.2, -19.9): outside the frame, black border
        assertThat(new int[] {out.at(10, 100, 0), out.at(10, 100, 1), out.at(10, 100, 2)}).containsOnly(0);
        assertThat(out.at(144, 10, 2)).isZero();
    }
}
