package ai.lipsync.avatar;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PreparationProgressTest {

    @Test
    void percent_growsThroughTheStagesAndEndsAtHundred() {
        assertThat(new PreparationProgress("decode", 0, 1).percent()).isZero();
        assertThat(new PreparationProgress("faces", 0, 10).percent()).isEqualTo(5);
        assertThat(new PreparationProgress("faces", 10, 10).percent()).isEqualTo(30);
        assertThat(new PreparationProgress("masks", 5, 10).percent()).isEqualTo(47);
        assertThat(new PreparationProgress("latents", 10, 10).percent()).isEqualTo(95);
        assertThat(new PreparationProgress("done", 10, 10).percent()).isEqualTo(100);
    }
}
