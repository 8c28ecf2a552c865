package ai.lipsync.api.aws;

import ai.lipsync.aws.storage.S3StreamStore;
import ai.lipsync.storage.StreamFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CloudFrontSegmentLinksTest {
    private static final StreamFile SEGMENT = StreamFile.parse("segment_007.m4s").orElseThrow();

    @Test
    void uri_isTheObjectKeyUnderTheDistribution() {
        CloudFrontSegmentLinks links = new CloudFrontSegmentLinks("https://d111111abcdef8.cloudfront.net/",
                S3StreamStore::key);

        assertThat(links.uri("Qx3aBcDeFgHiJkLmNoPqRs", SEGMENT))
                .isEqualTo("https://d111111abcdef8.cloudfront.net/hls/Qx3aBcDeFgHiJkLmNoPqRs/segment_007.m4s");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "d111.cloudfront.net", "ftp://d111.cloudfront.net", "https://d111.cloudfront.net/?a=b"})
    void constructor_withUnusableBaseUrl_isRefusedWithTheReason(String base) {
        assertThatThrownBy(() -> new CloudFrontSegmentLinks(base, S3StreamStore::key))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CloudFront base URL");
    }
}
