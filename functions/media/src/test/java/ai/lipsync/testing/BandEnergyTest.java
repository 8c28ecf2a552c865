package ai.lipsync.testing;

import ai.lipsync.audio.PcmAudio;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

class BandEnergyTest {

    @Test
    void fractionAbove_putsEachToneOnItsSideOfTheCut() {
        assertThat(BandEnergy.fractionAbove(tone(1_000, 48_000), 8_000)).isLessThan(1e-4);
        assertThat(BandEnergy.fractionAbove(tone(10_000, 48_000), 8_000)).isGreaterThan(1 - 1e-4);
    }

    @Test
    void fractionAbove_splitsTwoEqualTonesInHalves() {
        PcmAudio low = tone(2_000, 24_000);
        PcmAudio high = tone(10_000, 24_000);
        float[] both = new float[low.samples().length];
        for (int i = 0; i < both.length; i++) {
            both[i] = low.samples()[i] + high.samples()[i];
        }

        assertThat(BandEnergy.fractionAbove(new PcmAudio(both, 24_000), 8_000)).isCloseTo(0.5, offset(0.01));
    }

    private static PcmAudio tone(double hz, int rate) {
        float[] s = new float[rate];
        for (int i = 0; i < s.length; i++) {
            s[i] = (float) (0.3 * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return new PcmAudio(s, rate);
    }
}
