package ai.lipsync.musetalk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AudioWindowsTest {

    @Test
    void frameCount_at25fps_isFloorOfSecondsTimesFps() {
        AudioWindows w = new AudioWindows(25);
        assertThat(w.frameCount(53_920)).isEqualTo(84); // 3.37 s
        assertThat(w.frameCount(504_320)).isEqualTo(788); // 31.52 s
        assertThat(w.frameCount(16_000)).isEqualTo(25);
        assertThat(AudioWindows.actualSteps(53_920)).isEqualTo(168);
    }

    @Test
    void prompts_frameF_seesStepsFrom2fMinus4_withZeroPadding() {
        // features where every value of step s is s+1 (so zero = padding)
        int steps = 50;
        float[] data = new float[steps * WhisperFeatures.STEP_SIZE];
        for (int s = 0; s < steps; s++) {
            java.util.Arrays.fill(data, s * WhisperFeatures.STEP_SIZE, (s + 1) * WhisperFeatures.STEP_SIZE, s + 1);
        }
        AudioPrompts p = new AudioWindows(25).prompts(new WhisperFeatures(steps, data), 16_000);
        assertThat(p.frames()).isEqualTo(25);
        // frame 0: steps -4..5 -> four zero steps, then steps 0..5; token = step*5 + layer
        assertThat(valueAt(p, 0, 0, 0)).isZero();
        assertThat(valueAt(p, 0, 3 * 5 + 4, 383)).isZero();
        assertThat(valueAt(p, 0, 4 * 5, 0)).isEqualTo(1f);
        assertThat(valueAt(p, 0, 9 * 5 + 4, 7)).isEqualTo(6f);
        // frame 10: steps 16..25
        assertThat(valueAt(p, 10, 0, 0)).isEqualTo(17f);
        // last frame 24: steps 44..53, steps >= 50 are right padding
        assertThat(valueAt(p, 24, 5 * 5, 0)).isEqualTo(50f);
        assertThat(valueAt(p, 24, 6 * 5, 0)).isZero();
    }

    @Test
    void prompts_trimsFeaturesToActualLength() {
        // 0.5 s of audio = 25 real steps; a full 1500-step segment must not leak past step 24
        float[] data = new float[1500 * WhisperFeatures.STEP_SIZE];
        java.util.Arrays.fill(data, 1f);
        AudioPrompts p = new AudioWindows(25).prompts(new WhisperFeatures(1500, data), 8_000);
        assertThat(p.frames()).isEqualTo(12);
        // frame 11: steps 18..27; 25, 26, 27 are beyond the audio
        assertThat(valueAt(p, 11, 6 * 5, 0)).isEqualTo(1f);
        assertThat(valueAt(p, 11, 7 * 5, 0)).isZero();
    }

    @Test
    void constructor_withZeroFps_isRejected() {
        assertThatThrownBy(() -> new AudioWindows(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fps");
    }

    /** Every rate the windows accept gives every frame its window (the reference asserts this per frame). */
    @Test
    void prompts_atEverySupportedFps_coverEveryFrame() {
        float[] data = new float[1500 * WhisperFeatures.STEP_SIZE];
        WhisperFeatures features = new WhisperFeatures(1500, data);
        for (int fps = 1; fps <= AudioWindows.MAX_FPS; fps++) {
            AudioWindows w = new AudioWindows(fps);
            for (long samples : new long[] {320, 16_000, 16_007, 60_345, 479_999}) {
                assertThat(w.prompts(features, samples).frames()).as("%d fps, %d samples", fps, samples)
                        .isEqualTo(w.frameCount(samples));
            }
        }
    }

    /** 50 fps and above: the reference's last windows run past its padding (models/tests: test_audio_windows.py). */
    @Test
    void constructor_at50fpsAndAbove_isRejectedNamingTheRange() {
        assertThat(AudioWindows.MAX_FPS).isEqualTo(49);
        for (int fps : new int[] {50, 60}) {
            assertThat(AudioWindows.supports(fps)).isFalse();
            assertThatThrownBy(() -> new AudioWindows(fps)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("1 to 49 fps, not " + fps);
        }
    }

    @Test
    void prompts_matchGoldenShortClip() {
        SafeTensors t = Golden.tensors("whisper/short prompts", "whisper/short.safetensors");
        long samples = t.get("num_samples").longs()[0];
        SafeTensors.Tensor hs = t.get("hidden_states");
        WhisperFeatures features = new WhisperFeatures((int) hs.shape()[1], hs.floats());
        AudioPrompts prompts = new AudioWindows(25).prompts(features, samples);
        float[] expected = t.get("prompts").floats();
        assertThat(prompts.frames()).isEqualTo(t.get("prompts").shape()[0]);
        assertThat(Golden.maxAbsDiff(prompts.data(), expected)).isZero();

        AudioPrompts withPe = PositionalEncoding.forAudioPrompts().apply(prompts);
        assertThat(Golden.maxAbsDiff(withPe.data(), t.get("prompts_pe").floats())).isLessThan(1e-5);
    }

    private static float valueAt(AudioPrompts p, int frame, int token, int channel) {
        return p.data()[frame * AudioPrompts.FRAME_SIZE + token * AudioPrompts.DIM + channel];
    }
}
