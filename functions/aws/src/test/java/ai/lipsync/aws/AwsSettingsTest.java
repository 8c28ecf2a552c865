package ai.lipsync.aws;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AwsSettingsTest {

    @Test
    void fromEnvironment_withNothingSet_usesTheLocalDefaults() {
        AwsSettings s = AwsSettings.fromEnvironment(Map.of());

        assertThat(s).isEqualTo(AwsSettings.defaults());
        assertThat(s.region()).isEqualTo("us-east-1");
        assertThat(s.endpointOverride()).isEmpty();
        assertThat(s.tableName()).isEqualTo("lipsync-sessions");
        assertThat(s.sessionTtl()).isEqualTo(Duration.ofHours(24));
        assertThat(s.leaseLength()).isLessThan(s.visibilityTimeout());
    }

    @Test
    void fromEnvironment_readsEveryVariable() {
        AwsSettings s = AwsSettings.fromEnvironment(Map.ofEntries(
                Map.entry("AWS_REGION", "eu-central-1"),
                Map.entry("AWS_ENDPOINT_URL", "http://localhost:4566"),
                Map.entry("LIPSYNC_TABLE", "t"),
                Map.entry("LIPSYNC_BUCKET", "b"),
                Map.entry("LIPSYNC_QUEUE", "q"),
                Map.entry("LIPSYNC_QUEUE_URL", "http://localhost:4566/000000000000/q"),
                Map.entry("LIPSYNC_DLQ", "d"),
                Map.entry("LIPSYNC_SESSION_TTL_SECONDS", "3600"),
                Map.entry("LIPSYNC_LEASE_SECONDS", "30"),
                Map.entry("LIPSYNC_VISIBILITY_SECONDS", "45"),
                Map.entry("LIPSYNC_MAX_RECEIVES", "5")));

        assertThat(s).isEqualTo(new AwsSettings("eu-central-1", URI.create("http://localhost:4566"), "t", "b", "q",
                "http://localhost:4566/000000000000/q", "d", Duration.ofHours(1), Duration.ofSeconds(30),
                Duration.ofSeconds(45), 5));
    }

    @Test
    void fromEnvironment_fallsBackToAwsDefaultRegion() {
        assertThat(AwsSettings.fromEnvironment(Map.of("AWS_DEFAULT_REGION", "ap-south-1")).region())
                .isEqualTo("ap-south-1");
    }

    @Test
    void fromEnvironment_withANonNumber_namesTheVariable() {
        assertThatThrownBy(() -> AwsSettings.fromEnvironment(Map.of("LIPSYNC_MAX_RECEIVES", "three")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LIPSYNC_MAX_RECEIVES");
    }

    @Test
    void fromEnvironment_withAnEndpointThatIsNotAUrl_isRefused() {
        assertThatThrownBy(() -> AwsSettings.fromEnvironment(Map.of("AWS_ENDPOINT_URL", "localhost:4566")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("AWS_ENDPOINT_URL");
    }

    @Test
    void aLeaseLongerThanTheVisibilityTimeout_isRefused() {
        // A redelivered job would find its dead worker's lease still live and never run.
        assertThatThrownBy(() -> AwsSettings.fromEnvironment(
                Map.of("LIPSYNC_LEASE_SECONDS", "120", "LIPSYNC_VISIBILITY_SECONDS", "60")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(LeaseTiming.LEASE_VARIABLE);
    }

    @Test
    void aLeaseEqualToTheVisibilityTimeout_isRefusedNamingBothSettings() {
        // Equal is not enough: the redelivery can come at the very instant the lease would still hold.
        assertThatThrownBy(() -> AwsSettings.fromEnvironment(
                Map.of("LIPSYNC_LEASE_SECONDS", "60", "LIPSYNC_VISIBILITY_SECONDS", "60")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LIPSYNC_LEASE_SECONDS, 60 s").hasMessageContaining("LIPSYNC_VISIBILITY_SECONDS, 60 s");
        assertThat(AwsSettings.fromEnvironment(Map.of("LIPSYNC_LEASE_SECONDS", "59", "LIPSYNC_VISIBILITY_SECONDS", "60"))
                .leaseLength()).isEqualTo(Duration.ofSeconds(59));
    }

    @Test
    void maxReceivesOutsideTheSqsRange_isRefused() {
        assertThatThrownBy(() -> AwsSettings.defaults().withTimings(Duration.ofHours(1), Duration.ofSeconds(1),
                Duration.ofSeconds(2), 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxReceives");
    }
}
