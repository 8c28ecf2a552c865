package ai.lipsync.engine;

import ai.lipsync.avatar.AvatarCatalog;
import ai.lipsync.avatar.AvatarSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The weights-free side of the shared factory; the MuseTalk side runs in the worker's and local app's tests. */
class EnginesTest {

    @Test
    void weightsFreeChoice_givesTheWeightsFreeEngineAndNoPreparedAvatars(@TempDir Path root) {
        EngineSelection.Choice choice = EngineSelection.choose(root.resolve("absent"), false);
        AvatarSettings settings = AvatarSettings.defaults().withVideoDir(root.resolve("video"));

        LipSyncEngine engine = Engines.create(choice, 4, 25);

        assertThat(engine.name()).isEqualTo(WeightsFreeEngine.NAME);
        assertThat(engine.needsPreparedAvatar()).isFalse();
        assertThat(Engines.preparedAvatars(choice, AvatarCatalog.create(settings), settings)).isEmpty();
    }
}
