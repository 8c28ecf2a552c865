package ai.lipsync.aws;

import ai.lipsync.settings.LipsyncSettings;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The adapters' view: lipsync.aws.* bound by SettingsBinder, region and endpoint the AWS SDK's variables. */
class AwsSettingsTest {

    private static AwsSettings bound(Map<String, String> env) {
        return AwsSettings.from(SettingsBinder.bind(env), env);
    }

    @Test
    void withNothingSet_theTreesDefaultsInTheDefaultRegion() {
        AwsSettings s = bound(Map.of());

        assertThat(s).isEqualTo(AwsSettings.defaults());
        assertThat(s.region()).isEqualTo(AwsSettings.DEFAULT_REGION);
        assertThat(s.endpointOverride()).isEmpty();
        assertThat(s.resources()).isEqualTo(LipsyncSettings.defaults().aws());
        assertThat(s.queueUrl()).isNull();
    }

    @Test
    void everyAwsVariable_isBound_underItsSpringName() {
        AwsSettings s = bound(Map.ofEntries(
                Map.entry("AWS_REGION", "eu-central-1"),
                Map.entry("AWS_ENDPOINT_URL", "http://localhost:4566"),
                Map.entry("LIPSYNC_AWS_TABLE", "t"),
                Map.entry("LIPSYNC_AWS_BUCKET", "b"),
                Map.entry("LIPSYNC_AWS_QUEUE", "q"),
                Map.entry("LIPSYNC_AWS_QUEUEURL", "http://localhost:4566/000000000000/q"),
                Map.entry("LIPSYNC_AWS_DEADLETTERQUEUE", "d"),
                Map.entry("LIPSYNC_AWS_SESSIONTTL", "1h"),
                Map.entry("LIPSYNC_AWS_LEASE", "30s"),
                Map.entry("LIPSYNC_AWS_VISIBILITY", "PT45S"),
                Map.entry("LIPSYNC_AWS_MAXRECEIVES", "5")));

        assertThat(s).isEqualTo(new AwsSettings("eu-central-1", URI.create("http://localhost:4566"),
                new LipsyncSettings.Aws("t", "b", "q", "http://localhost:4566/000000000000/q", "d", Duration.ofHours(1),
                        Duration.ofSeconds(30), Duration.ofSeconds(45), 5)));
        assertThat(List.of(s.tableName(), s.bucketName(), s.queueName(), s.deadLetterQueueName()))
                .containsExactly("t", "b", "q", "d");
        assertThat(List.of(s.sessionTtl(), s.leaseLength(), s.visibilityTimeout()))
                .containsExactly(Duration.ofHours(1), Duration.ofSeconds(30), Duration.ofSeconds(45));
        assertThat(s.maxReceives()).isEqualTo(5);
    }

    @Test
    void dottedProperties_meanTheSameSettings() {
        var dotted = new StandardEnvironment();
        dotted.getPropertySources().addFirst(new MapPropertySource("args", Map.of(
                "lipsync.aws.table", "t", "lipsync.aws.session-ttl", "2h", "lipsync.aws.max-receives", "7")));

        assertThat(SettingsBinder.bind(dotted).aws()).isEqualTo(SettingsBinder.bind(Map.of("LIPSYNC_AWS_TABLE", "t",
                "LIPSYNC_AWS_SESSIONTTL", "2h", "LIPSYNC_AWS_MAXRECEIVES", "7")).aws());
    }

    @Test
    void region_fallsBackToAwsDefaultRegion() {
        assertThat(bound(Map.of("AWS_DEFAULT_REGION", "ap-south-1")).region()).isEqualTo("ap-south-1");
        assertThat(bound(Map.of("AWS_DEFAULT_REGION", "ap-south-1", "AWS_REGION", "eu-west-1")).region())
                .isEqualTo("eu-west-1");
    }

    @Test
    void aNonNumber_isRefusedNamingTheSettingAndItsVariable() {
        assertThatThrownBy(() -> bound(Map.of("LIPSYNC_AWS_MAXRECEIVES", "three")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lipsync.aws.max-receives").hasMessageContaining("three");
    }

    @Test
    void anEndpointThatIsNotAUrl_isRefused() {
        assertThatThrownBy(() -> bound(Map.of("AWS_ENDPOINT_URL", "localhost:4566")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("AWS_ENDPOINT_URL");
    }

    @Test
    void aLeaseNotShorterThanTheVisibility_isRefusedNamingBothVariables() {
        // A redelivered job would find its dead worker's lease still live and never run.
        assertThatThrownBy(() -> bound(Map.of("LIPSYNC_AWS_LEASE", "120s", "LIPSYNC_AWS_VISIBILITY", "60s")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lipsync.aws.lease (LIPSYNC_AWS_LEASE) must be shorter than the job visibility timeout"
                        + " lipsync.aws.visibility (LIPSYNC_AWS_VISIBILITY), was 120 s against 60 s: a job redelivered"
                        + " after its worker died must find that worker's lease expired");
        assertThat(bound(Map.of("LIPSYNC_AWS_LEASE", "59s", "LIPSYNC_AWS_VISIBILITY", "60s")).leaseLength())
                .isEqualTo(Duration.ofSeconds(59));
    }

    @Test
    void withTimings_outsideTheTreesRules_isRefusedByTheTree() {
        assertThatThrownBy(() -> AwsSettings.defaults().withTimings(Duration.ofHours(1), Duration.ofSeconds(1),
                Duration.ofSeconds(2), 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lipsync.aws.max-receives");
    }
}
