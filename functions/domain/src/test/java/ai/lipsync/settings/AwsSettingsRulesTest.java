package ai.lipsync.settings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** lipsync.aws.*: the lease rule (its one place) and the checks naming each setting. */
class AwsSettingsRulesTest {

    private static LipsyncSettings.Aws timings(Duration ttl, Duration lease, Duration visibility, Integer receives) {
        return new LipsyncSettings.Aws(null, null, null, null, null, ttl, lease, visibility, receives);
    }

    @Test
    void defaults_followTheLeaseRule() {
        LipsyncSettings.Aws d = LipsyncSettings.defaults().aws();
        assertThat(LipsyncSettings.Aws.leaseAllows(d.lease(), d.visibility())).isTrue();
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 999, 1000, 59_500, 60_000, 3_600_000})
    void minimumVisibility_isTheFirstWholeSecondTheRuleAllows(long leaseMillis) {
        Duration lease = Duration.ofMillis(leaseMillis);
        long min = LipsyncSettings.Aws.minimumVisibilitySeconds(lease);

        assertThat(timings(null, lease, Duration.ofSeconds(min), null).visibility()).isEqualTo(Duration.ofSeconds(min));
        assertThatThrownBy(() -> timings(null, lease, Duration.ofSeconds(min - 1), null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void leaseNotShorterThanTheVisibility_isRefusedWithOneSentenceNamingBothSettings() {
        assertThatThrownBy(() -> timings(null, Duration.ofSeconds(90), Duration.ofSeconds(90), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lipsync.aws.lease must be shorter than the job visibility timeout lipsync.aws.visibility,"
                        + " was 90 s against 90 s: a job redelivered after its worker died must find that worker's"
                        + " lease expired");
        assertThatThrownBy(() -> LipsyncSettings.Aws.checkLeaseTiming(Duration.ofMillis(2500), Duration.ofSeconds(2)))
                .hasMessageContaining("2500 ms").hasMessageContaining("2 s");
    }

    @Test
    void visibilityAboveTheSqsLimit_orNonPositiveValues_areRefusedNamingTheSetting() {
        assertThatThrownBy(() -> timings(null, Duration.ofSeconds(60),
                LipsyncSettings.Aws.MAX_VISIBILITY.plusSeconds(1), null))
                .hasMessageContaining("lipsync.aws.visibility").hasMessageContaining("12 h");
        assertThatThrownBy(() -> timings(null, Duration.ZERO, Duration.ofSeconds(60), null))
                .hasMessageContaining("lipsync.aws.lease").hasMessageContaining("positive");
        assertThatThrownBy(() -> LipsyncSettings.Aws.checkLeaseTiming(Duration.ofSeconds(1), null))
                .hasMessageContaining("lipsync.aws.visibility");
        assertThatThrownBy(() -> timings(Duration.ofSeconds(-1), null, null, null))
                .hasMessageContaining("lipsync.aws.session-ttl").hasMessageContaining("positive");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 1001})
    void maxReceivesOutsideTheSqsRange_isRefusedNamingTheSetting(int receives) {
        assertThatThrownBy(() -> timings(null, null, null, receives))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lipsync.aws.max-receives").hasMessageContaining("1..1000");
        assertThat(timings(null, null, null, 1000).maxReceives()).isEqualTo(1000);
    }

    @Test
    void blankNames_takeTheirDefaults_andABlankQueueUrlIsUnset() {
        LipsyncSettings.Aws blank = new LipsyncSettings.Aws(" ", "", null, "  ", "", null, null, null, null);
        assertThat(blank).isEqualTo(LipsyncSettings.defaults().aws());
        assertThat(blank.queueUrl()).isNull();
    }
}
