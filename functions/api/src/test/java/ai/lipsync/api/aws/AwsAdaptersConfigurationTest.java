package ai.lipsync.api.aws;

import ai.lipsync.api.SegmentLinks;
import ai.lipsync.api.SettingsConfiguration;
import ai.lipsync.aws.session.DynamoDbSessionStore;
import ai.lipsync.aws.storage.S3StreamStore;
import ai.lipsync.storage.StreamFile;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which playlist links the AWS wiring picks. No AWS call is made: the queue URL is given, and
 * clients connect lazily.
 */
class AwsAdaptersConfigurationTest {
    private static final String ID = "Qx3aBcDeFgHiJkLmNoPqRs";
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(SettingsConfiguration.class, AwsAdaptersConfiguration.class)
            .withBean(Clock.class, Clock::systemUTC)
            .withPropertyValues("AWS_REGION=eu-central-1", "AWS_ENDPOINT_URL=http://127.0.0.1:9",
                    "lipsync.aws.bucket=streams", "lipsync.aws.queue-url=http://127.0.0.1:9/000000000000/jobs");

    @Test
    void withACloudFrontBaseUrl_segmentsAreNamedUnderTheDistribution() {
        runner.withPropertyValues("lipsync.playlist.cloudfront-base-url=https://d111111abcdef8.cloudfront.net")
                .run(context -> {
                    SegmentLinks links = context.getBean(SegmentLinks.class);
                    assertThat(links).isInstanceOf(CloudFrontSegmentLinks.class);
                    assertThat(links.uri(ID, StreamFile.parse("segment_003.m4s").orElseThrow()))
                            .isEqualTo("https://d111111abcdef8.cloudfront.net/hls/" + ID + "/segment_003.m4s");
                });
    }

    @Test
    void withoutCloudFront_segmentsArePresignedForTheConfiguredExpiry() {
        runner.withPropertyValues("lipsync.playlist.presign-expiry=20m").run(context -> {
            SegmentLinks links = context.getBean(SegmentLinks.class);
            assertThat(links).isInstanceOf(PresignedSegmentLinks.class);
            assertThat(links.uri(ID, StreamFile.parse("init.mp4").orElseThrow()))
                    .startsWith("http://127.0.0.1:9/streams/hls/" + ID + "/init.mp4?").contains("X-Amz-Expires=1200");
            assertThat(context.getBean(DynamoDbSessionStore.class)).isNotNull();
            assertThat(context.getBean(S3StreamStore.class).bucket()).isEqualTo("streams");
        });
    }

    @Test
    void withAnExpiryBeyondSevenDays_theContextRefusesToStartAndSaysWhy() {
        runner.withPropertyValues("lipsync.playlist.presign-expiry=8d").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("7 days");
        });
    }

    @Test
    void withAMaxReceivesSqsRefuses_theContextRefusesToStartNamingTheSetting() {
        runner.withPropertyValues("lipsync.aws.max-receives=0").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .hasStackTraceContaining("lipsync.aws.max-receives (LIPSYNC_AWS_MAXRECEIVES) must be 1..1000");
        });
    }

    @Test
    void withAnUnusableEndpoint_theContextRefusesToStartNamingTheVariable() {
        runner.withPropertyValues("AWS_ENDPOINT_URL=localhost:4566").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("AWS_ENDPOINT_URL");
        });
    }
}
