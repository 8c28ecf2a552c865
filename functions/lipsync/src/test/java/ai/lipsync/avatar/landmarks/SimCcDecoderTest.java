package ai.lipsync.avatar.landmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SimCcDecoderTest {

    @Test
    void decode_takesFirstArgmaxPerAxis_dividesBySplitRatio_andScoresTheSmallerMaximum() {
        float[] x = {
            0.1f, 0.9f, 0.3f, 0.9f, 0.2f, 0.0f, // k0: first maximum at bin 1 (tie with bin 3)
            0.0f, 0.1f, 0.2f, 0.3f, 0.4f, 0.8f, // k1: bin 5
        };
        float[] y = {
            0.0f, 0.2f, 0.7f, 0.1f, // k0: bin 2
            0.6f, 0.1f, 0.0f, 0.2f, // k1: bin 0
        };
        Keypoints k = SimCcDecoder.decode(x, y, 2, 2.0);
        assertThat(k.x()).containsExactly(0.5f, 2.5f);
        assertThat(k.y()).containsExactly(1.0f, 0.0f);
        assertThat(k.score()).containsExactly(0.7f, 0.6f);
    }

    @Test
    void decode_withNonPositiveMaximum_marksThePointNotFoundAtMinusOneBin() {
        float[] x = {-0.5f, -0.2f, -0.9f, 0.0f, 0.0f, 0.0f};
        float[] y = {0.3f, 0.1f, 0.5f, 0.0f, 0.0f, 0.0f};
        Keypoints k = SimCcDecoder.decode(x, y, 2, 2.0);
        assertThat(k.score()).containsExactly(-0.2f, 0.0f); // min(-0.2, 0.5) and min(0, 0): both not positive
        assertThat(k.x()).containsExactly(-0.5f, -0.5f);
        assertThat(k.y()).containsExactly(-0.5f, -0.5f);
    }

    @Test
    void decode_withVectorsThatDoNotSplitIntoTheKeypoints_fails() {
        assertThatThrownBy(() -> SimCcDecoder.decode(new float[7], new float[8], 2, 2.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("7");
        assertThatThrownBy(() -> SimCcDecoder.decode(new float[6], new float[8], 2, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("split ratio");
    }
}
