package ai.lipsync.engine;

import ai.lipsync.audio.EnvelopeSettings;
import ai.lipsync.audio.SpeechEnvelope;
import ai.lipsync.avatar.AvatarCatalog;
import ai.lipsync.avatar.AvatarSettings;
import ai.lipsync.avatar.PreparedAvatarStore;
import ai.lipsync.avatar.PreparedAvatarStores;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What an {@link EngineSelection.Choice} becomes: the engine and, for MuseTalk, the prepared
 * avatars it reads. One place for it, so the local app (Spring beans) and the AWS worker (plain
 * Java) run the same engine from the same models directory.
 */
public final class Engines {
    private Engines() {
    }

    /**
     * The engine, checked and warmed up before the first session: MuseTalk refuses settings every
     * session would fail with, naming them, then runs one batch through every graph.
     *
     * @param batchSize frames per UNet/VAE call; 0 = the batch the graphs were exported with
     * @param fps the video frame rate sessions will use
     * @return MuseTalk 1.5 on the chosen models (it owns them: closing it frees them), or the weights-free engine
     * @throws UnusableSettingException naming the setting (the models are freed first)
     */
    public static LipSyncEngine create(EngineSelection.Choice choice, int batchSize, int fps) {
        if (choice instanceof EngineSelection.UseMuseTalk museTalk) {
            MuseTalkEngine engine = new MuseTalkEngine(museTalk.models(),
                    MuseTalkSettings.defaults().withBatchSize(batchSize));
            try {
                engine.checkSettings(fps);
                engine.warmUp();
            } catch (RuntimeException | Error e) {
                engine.close();
                throw e;
            }
            return engine;
        }
        return weightsFree();
    }

    /** The weights-free engine: runs on any CPU; sessions report engine=weights-free. */
    public static LipSyncEngine weightsFree() {
        return new WeightsFreeEngine(new SpeechEnvelope(EnvelopeSettings.defaults()));
    }

    /**
     * The prepared-avatar store MuseTalk reads: packages under {@code settings.preparedDir()}
     * ({@code results/webapp/avatar} when unset), latents in its sibling {@code prep_cache}; empty
     * for the weights-free engine, which needs none.
     */
    public static Optional<PreparedAvatarStore> preparedAvatars(EngineSelection.Choice choice, AvatarCatalog catalog,
                                                                AvatarSettings settings) {
        if (!(choice instanceof EngineSelection.UseMuseTalk museTalk)) {
            return Optional.empty();
        }
        Path dir = Optional.ofNullable(settings.preparedDir()).orElse(AvatarSettings.defaults().preparedDir());
        return Optional.of(PreparedAvatarStores.create(museTalk.models(), catalog, settings, dir));
    }
}
