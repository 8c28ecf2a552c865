package ai.lipsync.api.aws;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AwsApiPropertiesTest {

    @Test
    void checkedIds_withTheDefaultAmongThem_areTheWorkersAvatars() {
        assertThat(new AwsApiProperties.Avatar("anna", List.of("default", "anna")).checkedIds())
                .containsExactlyInAnyOrder("default", "anna");
    }

    @Test
    void checkedIds_withADefaultOutsideThem_isRefusedNamingBothSettings() {
        assertThatThrownBy(() -> new AwsApiProperties.Avatar("bob", List.of("default", "anna")).checkedIds())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'bob'")
                .hasMessageContaining("lipsync.avatar.ids")
                .hasMessageContaining("lipsync.avatar.default-id");
    }
}
