package ai.lipsync.avatar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PingPongCycleTest {

    @Test
    void get_playsForwardThenBackward_withTurnFramesDoubled() {
        PingPongCycle<String> c = new PingPongCycle<>(List.of("a", "b", "c"));
        List<String> out = IntStream.range(0, 14).mapToObj(c::get).toList();
        assertThat(out).containsExactly("a", "b", "c", "c", "b", "a", "a", "b", "c", "c", "b", "a", "a", "b");
        assertThat(c.size()).isEqualTo(6);
    }

    @Test
    void sourceIndex_singleFrame_isAlwaysZero() {
        assertThat(IntStream.range(0, 5).map(i -> PingPongCycle.sourceIndex(i, 1))).containsOnly(0);
    }

    @Test
    void constructor_withNoFrames_isRejected() {
        assertThatThrownBy(() -> new PingPongCycle<>(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
