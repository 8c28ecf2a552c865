package ai.lipsync.api.aws;

import ai.lipsync.aws.storage.S3StreamStore;
import ai.lipsync.storage.StreamFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The URL's shape; that S3 (moto) serves it is checked in the moto-backed tests. */
class PresignedSegmentLinksTest {
    private final S3Presigner presigner = S3Presigner.builder().region(Region.EU_CENTRAL_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
            .endpointOverride(URI.create("http://127.0.0.1:5000"))
            .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build();

    @AfterEach
    void close() {
        presigner.close();
    }

    @Test
    void uri_isASigV4GetOfTheObjectKeyWithTheConfiguredExpiry() {
        PresignedSegmentLinks links = new PresignedSegmentLinks(presigner, "streams", S3StreamStore::key,
                Duration.ofMinutes(30));

        URI uri = URI.create(links.uri("Qx3aBcDeFgHiJkLmNoPqRs", StreamFile.parse("init.mp4").orElseThrow()));

        assertThat(uri.getPath()).isEqualTo("/streams/hls/Qx3aBcDeFgHiJkLmNoPqRs/init.mp4");
        assertThat(uri.getQuery()).contains("X-Amz-Algorithm=AWS4-HMAC-SHA256").contains("X-Amz-Expires=1800")
                .contains("X-Amz-Credential=AKIDEXAMPLE/").contains("X-Amz-Signature=");
    }

    @Test
    void constructor_withExpiryBeyondSevenDays_isRefused() {
        assertThatThrownBy(() -> new PresignedSegmentLinks(presigner, "streams", S3StreamStore::key,
                Duration.ofDays(8))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("7 days");
    }
}
