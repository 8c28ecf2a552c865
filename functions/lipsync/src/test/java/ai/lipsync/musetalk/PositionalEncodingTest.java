package ai.lipsync.musetalk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PositionalEncodingTest {

    @Test
    void at_followsTheSinusoidFormula() {
        PositionalEncoding pe = PositionalEncoding.forAudioPrompts();
        assertThat(pe.at(0, 0)).isZero();
        assertThat(pe.at(0, 1)).isEqualTo(1f);
        assertThat(pe.at(1, 0)).isCloseTo((float) Math.sin(1), within(1e-6f));
        double w = Math.exp(-10 * Math.log(10000.0) / 384);
        assertThat(pe.at(49, 11)).isCloseTo((float) Math.cos(49 * w), within(1e-5f));
    }

    @Test
    void apply_matchesGoldenUnetCase() {
        SafeTensors t = Golden.tensors("unet prompts_pe", "unet/case.safetensors");
        SafeTensors.Tensor a = t.get("audio_prompts");
        AudioPrompts withPe = PositionalEncoding.forAudioPrompts().apply(new AudioPrompts((int) a.shape()[0], a.floats()));
        assertThat(Golden.maxAbsDiff(withPe.data(), t.get("audio_prompts_pe").floats())).isLessThan(1e-5);
    }
}
