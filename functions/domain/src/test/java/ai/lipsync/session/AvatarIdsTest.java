package ai.lipsync.session;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AvatarIdsTest {

    @Test
    void isWellFormed_lettersDigitsDotsDashesUnderscores_areAccepted() {
        assertThat(AvatarIds.isWellFormed("default")).isTrue();
        assertThat(AvatarIds.isWellFormed("sun.v2_final-1")).isTrue();
        assertThat(AvatarIds.isWellFormed("a".repeat(64))).isTrue();
    }

    @Test
    void isWellFormed_traversalLeadingDotOrTooLong_isRefused() {
        assertThat(AvatarIds.isWellFormed(null)).isFalse();
        assertThat(AvatarIds.isWellFormed("")).isFalse();
        assertThat(AvatarIds.isWellFormed("../etc")).isFalse();
        assertThat(AvatarIds.isWellFormed(".hidden")).isFalse();
        assertThat(AvatarIds.isWellFormed("a/b")).isFalse();
        assertThat(AvatarIds.isWellFormed("a".repeat(65))).isFalse();
    }
}
