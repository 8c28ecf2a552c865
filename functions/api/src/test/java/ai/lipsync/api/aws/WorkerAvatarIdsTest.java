package ai.lipsync.api.aws;

import ai.lipsync.settings.LipsyncSettings;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkerAvatarIdsTest {

    @Test
    void checkedIds_withTheDefaultAmongThem_areTheWorkersAvatars() {
        assertThat(avatar("anna", List.of("default", "anna")).checkedIds())
                .containsExactlyInAnyOrder("default", "anna");
    }

    @Test
    void checkedIds_withADefaultOutsideThem_isRefusedNamingBothSettings() {
        assertThatThrownBy(() -> avatar("bob", List.of("default", "anna")).checkedIds())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'bob'")
                .hasMessageContaining("lipsync.avatar.ids")
                .hasMessageContaining("lipsync.avatar.default-id");
    }

    private static LipsyncSettings.Avatar avatar(String defaultId, List<String> ids) {
        return new LipsyncSettings.Avatar(defaultId, ids, null, null, null, null, null, null, null);
    }
}
