package ai.lipsync.avatar;

import ai.lipsync.preparation.FaceBox;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrepCacheKeyTest {
    private static final PrepCacheKey KEY = new PrepCacheKey("abc", 25, 8, 720, "", Map.of("bisenet", "1", "vae_encode", "2"));

    @Test
    void value_isStableAndIndependentOfChecksumOrder() {
        PrepCacheKey reordered = new PrepCacheKey("abc", 25, 8, 720, "",
                new java.util.LinkedHashMap<>(Map.of("vae_encode", "2", "bisenet", "1")));

        assertThat(KEY.value()).hasSize(64).matches("[0-9a-f]+").isEqualTo(reordered.value());
    }

    @Test
    void value_changesWithTheSourceTheRateTheLimitsAKnownFaceOrAnyModel() {
        assertThat(new PrepCacheKey("abd", 25, 8, 720, "", KEY.modelChecksums()).value()).isNotEqualTo(KEY.value());
        assertThat(new PrepCacheKey("abc", 30, 8, 720, "", KEY.modelChecksums()).value()).isNotEqualTo(KEY.value());
        assertThat(new PrepCacheKey("abc", 25, 4, 720, "", KEY.modelChecksums()).value()).isNotEqualTo(KEY.value());
        assertThat(new PrepCacheKey("abc", 25, 8, 360, "", KEY.modelChecksums()).value()).isNotEqualTo(KEY.value());
        assertThat(new PrepCacheKey("abc", 25, 8, 720, "", Map.of("bisenet", "1", "vae_encode", "3")).value())
                .isNotEqualTo(KEY.value());
        assertThat(new PrepCacheKey("abc", 25, 8, 720, "FaceBox[x=1, y=2, width=3, height=4]", KEY.modelChecksums())
                .value()).as("a configured face box").isNotEqualTo(KEY.value());
        assertThat(new PrepCacheKey("abc", 25, 8, 720, "", Map.of("bisenet", "1", "vae_encode", "2", "dwpose", "4"))
                .value()).isNotEqualTo(KEY.value());
    }

    @Test
    void sha256_ofAFile_isItsContentDigest(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("v.bin");
        Files.writeString(f, "abc");

        assertThat(PrepCacheKey.sha256(f)).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
