package ai.lipsync.avatar;

import ai.lipsync.preparation.FaceBox;
import static org.assertj.core.api.Assertions.assertThat;

import ai.lipsync.avatar.landmarks.FaceLandmarks;
import ai.lipsync.compose.PixelBox;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FaceBoxRuleTest {
    private static final FaceBox HAAR = new FaceBox(50, 60, 80, 90);
    private final FaceBoxRule rule = FaceBoxRule.v15();

    /** Jaw from (minX, maxY-ish) points; every other point sits inside; point 29 at (cx, y29). */
    private static FaceLandmarks face(float minX, float maxX, float y29, float maxY) {
        float[] x = new float[68];
        float[] y = new float[68];
        Arrays.fill(x, (minX + maxX) / 2);
        Arrays.fill(y, y29);
        x[0] = minX;
        x[16] = maxX;
        y[8] = maxY;
        y[29] = y29;
        return new FaceLandmarks(x, y);
    }

    @Test
    void decide_withSoundLandmarks_mirrorsTheChinAboutPoint29_truncatesToInt_andAddsTenAtTheBottom() {
        // ints: x 100..200, y29 150, maxY 230 -> y1 = 150 - 80 = 70; y2 = 230 + 10
        FaceBoxRule.Decision d = rule.decide(face(100.9f, 200.7f, 150.6f, 230.9f), HAAR, 400, 300);
        assertThat(d.source()).isEqualTo(FaceBoxRule.Source.LANDMARKS);
        assertThat(d.box()).isEqualTo(new PixelBox(100, 70, 200, 240));
        assertThat(rule.landmarkBox(face(100.9f, 200.7f, 150.6f, 230.9f), 400, 300))
                .contains(new PixelBox(100, 70, 200, 230));
    }

    @Test
    void decide_whenTheMirrorRisesAboveTheFrame_clampsY1ToZero() {
        // 40 - (130 - 40) = -50 -> 0
        FaceBoxRule.Decision d = rule.decide(face(10, 90, 40, 130), HAAR, 400, 300);
        assertThat(d.box()).isEqualTo(new PixelBox(10, 0, 90, 140));
        assertThat(d.source()).isEqualTo(FaceBoxRule.Source.LANDMARKS);
    }

    @Test
    void decide_marginPastTheBottom_isClampedToTheFrameHeight() {
        FaceBoxRule.Decision d = rule.decide(face(10, 90, 250, 295), HAAR, 400, 300);
        assertThat(d.box()).isEqualTo(new PixelBox(10, 205, 90, 300));
    }

    @Test
    void decide_withNegativeX1_fallsBackToTheDetectorBoxWithTheMargin() {
        FaceBoxRule.Decision d = rule.decide(face(-3.2f, 90, 40, 130), HAAR, 400, 300);
        assertThat(d.source()).isEqualTo(FaceBoxRule.Source.DETECTOR_FALLBACK);
        assertThat(d.box()).isEqualTo(new PixelBox(50, 60, 130, 160));
    }

    @Test
    void decide_withX1JustBelowZero_truncatesTowardZeroLikeNumpy_andKeepsTheLandmarks() {
        assertThat(rule.decide(face(-0.7f, 90, 40, 130), HAAR, 400, 300).box()).isEqualTo(new PixelBox(0, 0, 90, 140));
    }

    @Test
    void decide_withZeroWidthOrHeight_fallsBack() {
        assertThat(rule.decide(face(60, 60.5f, 40, 130), HAAR, 400, 300).source())
                .isEqualTo(FaceBoxRule.Source.DETECTOR_FALLBACK);
        assertThat(rule.decide(face(10, 90, 130, 130), HAAR, 400, 300).source())
                .isEqualTo(FaceBoxRule.Source.DETECTOR_FALLBACK);
    }

    @Test
    void decide_withBoxLeavingTheFrame_fallsBack() {
        assertThat(rule.decide(face(10, 401, 40, 130), HAAR, 400, 300).source())
                .as("x2 past the right edge").isEqualTo(FaceBoxRule.Source.DETECTOR_FALLBACK);
        assertThat(rule.decide(face(10, 90, 310, 320), HAAR, 400, 300).source())
                .as("y1 below the frame").isEqualTo(FaceBoxRule.Source.DETECTOR_FALLBACK);
        assertThat(rule.decide(face(10, 400, 250, 320), HAAR, 400, 300).box())
                .as("x2 on the edge is fine, y2 below is clamped").isEqualTo(new PixelBox(10, 180, 400, 300));
    }

    @Test
    void fallbackBox_nearTheBottom_getsTheMarginClamped() {
        FaceBoxRule.Decision d = rule.decide(face(-5, 90, 40, 130), new FaceBox(0, 250, 40, 45), 400, 300);
        assertThat(d.box()).isEqualTo(new PixelBox(0, 250, 40, 300));
    }
}
