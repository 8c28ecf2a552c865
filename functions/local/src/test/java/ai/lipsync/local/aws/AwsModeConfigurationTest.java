package ai.lipsync.local.aws;

import ai.lipsync.settings.LipsyncSettings;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AwsModeConfigurationTest {

    private static LipsyncSettings props(String defaultId, String... ids) {
        return new LipsyncSettings(null, null, null, null,
                new LipsyncSettings.Avatar(defaultId, List.of(ids), null, null, null, null, null, null, null),
                null, null, null, null, null, null, null, null);
    }

    @Test
    void knownAvatars_areTheWorkersAvatars() {
        var known = new AwsModeConfiguration().knownAvatars(props("default", "default", "anna"));

        assertThat(known.test("anna")).isTrue();
        assertThat(known.test("bob")).isFalse();
    }

    /** Not the embedded default's advice to drop a video into data/video: this JVM has no avatar files. */
    @Test
    void knownAvatars_withADefaultTheWorkersLack_isRefusedNamingTheAwsSetting() {
        assertThatThrownBy(() -> new AwsModeConfiguration().knownAvatars(props("default", "anna")))
                .hasMessageContaining("lipsync.avatar.ids")
                .hasMessageNotContaining("data/video");
    }
}
