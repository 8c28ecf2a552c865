package ai.lipsync.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class LeaseTimingTest {

    @Test
    void defaults_followTheRule() {
        assertThat(LeaseTiming.allows(LeaseTiming.DEFAULTS.lease(), LeaseTiming.DEFAULTS.visibility())).isTrue();
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 999, 1000, 59_500, 60_000, 3_600_000})
    void minimumVisibility_isTheFirstWholeSecondTheRuleAllows(long leaseMillis) {
        Duration lease = Duration.ofMillis(leaseMillis);
        long min = LeaseTiming.minimumVisibilitySeconds(lease);

        assertThat(new LeaseTiming(lease, Duration.ofSeconds(min)).visibility()).isEqualTo(Duration.ofSeconds(min));
        assertThatThrownBy(() -> new LeaseTiming(lease, Duration.ofSeconds(min - 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void leaseNotShorterThanTheVisibility_isRefusedWithOneSentenceNamingBothSettings() {
        assertThatThrownBy(() -> new LeaseTiming(Duration.ofSeconds(90), Duration.ofSeconds(90)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the lease (LIPSYNC_LEASE_SECONDS, 90 s) must be shorter than the job visibility timeout"
                        + " (LIPSYNC_VISIBILITY_SECONDS, 90 s): a job redelivered after its worker died must find that"
                        + " worker's lease expired");
        assertThatThrownBy(() -> new LeaseTiming(Duration.ofMillis(2500), Duration.ofSeconds(2)))
                .hasMessageContaining("2500 ms").hasMessageContaining("2 s");
    }

    @Test
    void visibilityAboveTheSqsLimit_orNonPositiveValues_areRefusedNamingTheSetting() {
        assertThatThrownBy(() -> new LeaseTiming(Duration.ofSeconds(60), LeaseTiming.MAX_VISIBILITY.plusSeconds(1)))
                .hasMessageContaining(LeaseTiming.VISIBILITY_VARIABLE).hasMessageContaining("12 h");
        assertThatThrownBy(() -> new LeaseTiming(Duration.ZERO, Duration.ofSeconds(60)))
                .hasMessageContaining(LeaseTiming.LEASE_VARIABLE).hasMessageContaining("positive");
        assertThatThrownBy(() -> new LeaseTiming(Duration.ofSeconds(1), null))
                .hasMessageContaining(LeaseTiming.VISIBILITY_VARIABLE);
    }
}
