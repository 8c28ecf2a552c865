package ai.lipsync.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SilencePlanTest {

    @Test
    void weights_withContinuousSpeech_generateEveryFrame() {
        float[] w = new SilencePlan(4, 2).weights(new float[] {0.5f, 0.7f, 0.2f, 0.9f, 0.4f}, 5);

        assertThat(w).containsOnly(1f);
    }

    @Test
    void weights_withALongPause_showTheSourceInsideAndFadeAtBothEdges() {
        float[] energy = new float[20];
        java.util.Arrays.fill(energy, 0.5f);
        for (int i = 5; i < 15; i++) {
            energy[i] = 0; // ten silent frames
        }

        float[] w = new SilencePlan(4, 2).weights(energy, 20);

        assertThat(w[4]).isEqualTo(1f);
        assertThat(w[5]).isCloseTo(2f / 3, within(1e-6f));
        assertThat(w[6]).isCloseTo(1f / 3, within(1e-6f));
        for (int i = 7; i < 13; i++) {
            assertThat(w[i]).as("frame %d", i).isZero();
        }
        assertThat(w[13]).isCloseTo(1f / 3, within(1e-6f));
        assertThat(w[14]).isCloseTo(2f / 3, within(1e-6f));
        assertThat(w[15]).isEqualTo(1f);
    }

    @Test
    void weights_withAShortGapBetweenWords_keepGenerating() {
        float[] energy = {0.5f, 0.5f, 0, 0, 0, 0.5f, 0.5f};

        assertThat(new SilencePlan(4, 2).weights(energy, 7)).containsOnly(1f);
    }

    @Test
    void weights_withLeadingAndTrailingSilence_fadeOnlyTowardsTheSpeech() {
        float[] energy = {0, 0, 0, 0, 0, 0.5f, 0.5f, 0, 0, 0, 0, 0};

        float[] w = new SilencePlan(3, 1).weights(energy, 12);

        assertThat(w).containsExactly(0f, 0f, 0f, 0f, 0.5f, 1f, 1f, 0.5f, 0f, 0f, 0f, 0f);
    }

    @Test
    void weights_forMoreFramesThanEnergyValues_treatTheMissingOnesAsSilent() {
        float[] w = new SilencePlan(2, 0).weights(new float[] {1, 1}, 5);

        assertThat(w).containsExactly(1f, 1f, 0f, 0f, 0f);
    }

    @Test
    void silencePlan_withNonPositiveMinimum_isRejected() {
        assertThatThrownBy(() -> new SilencePlan(0, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
