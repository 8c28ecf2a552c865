package ai.lipsync.audio;

import ai.lipsync.testing.TestAudio;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SpeechEnvelopeTest {
    private final SpeechEnvelope envelope = new SpeechEnvelope(EnvelopeSettings.defaults());

    @Test
    void compute_hasOneValuePerFrameCoveringEverySample() {
        PcmAudio audio = new PcmAudio(new float[16_001], 16_000);

        assertThat(envelope.compute(audio, 25)).hasSize(26);
        assertThat(SpeechEnvelope.frameCount(new PcmAudio(new float[16_000], 16_000), 25)).isEqualTo(25);
    }

    @Test
    void compute_silenceSpeechSilence_isZeroInSilenceAndOpensOnSpeech() {
        PcmAudio audio = TestAudio.speechLike(2.0, 1.0, 1.0, 16_000);

        float[] values = envelope.compute(audio, 25);

        for (int f = 0; f < 24; f++) {
            assertThat(values[f]).as("frame %d before speech", f).isZero();
        }
        float max = 0;
        for (int f = 25; f < 75; f++) {
            max = Math.max(max, values[f]);
        }
        assertThat(max).isGreaterThan(0.8f);
        for (int f = 85; f < values.length; f++) {
            assertThat(values[f]).as("frame %d well after speech", f).isZero();
        }
        for (float v : values) {
            assertThat(v).isBetween(0f, 1f);
        }
    }

    @Test
    void compute_syllables_riseAndFallWithinTheUtterance() {
        PcmAudio audio = TestAudio.speechLike(2.0, 0, 0, 16_000);

        float[] values = envelope.compute(audio, 25);

        // Four syllables a second: the mouth must close part-way between them, not stay open.
        float min = 1;
        for (int f = 10; f < 40; f++) {
            min = Math.min(min, values[f]);
        }
        assertThat(min).isLessThan(0.4f);
    }

    @Test
    void compute_quietNoiseBelowTheGate_keepsTheMouthShut() {
        float[] hiss = new float[32_000];
        java.util.Random random = new java.util.Random(1);
        for (int i = 0; i < hiss.length; i++) {
            hiss[i] = (float) (random.nextGaussian() * 0.001);
        }

        float[] values = envelope.compute(new PcmAudio(hiss, 16_000), 25);

        for (float v : values) {
            assertThat(v).isZero();
        }
    }
}
