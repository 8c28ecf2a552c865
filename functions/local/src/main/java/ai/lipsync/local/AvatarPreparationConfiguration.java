package ai.lipsync.local;

import ai.lipsync.avatar.AvatarCatalog;
import ai.lipsync.avatar.AvatarPreparationService;
import ai.lipsync.avatar.AvatarSettings;
import ai.lipsync.avatar.PreparedAvatarStore;
import ai.lipsync.engine.EngineSelection;
import ai.lipsync.pipeline.GenerationAssembly;
import ai.lipsync.settings.LipsyncSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Fallback;
import org.springframework.context.annotation.Profile;

/**
 * MuseTalk avatar preparation in the local app when the MuseTalk engine was chosen: the prepared
 * avatars the engine reads (packages under {@code lipsync.avatar.prepared-dir}, latents in its
 * sibling {@code prep_cache}) and the service behind {@code POST /api/avatars}. With the
 * weights-free engine both are null beans: nothing needs them and the avatar routes answer 503.
 * Not in the {@code aws} profile: there the GPU worker prepares avatars on first use, and the web
 * app (no models, no avatar catalog) answers 503 on the avatar routes too.
 */
@Configuration(proxyBeanMethods = false)
@Profile("!aws")
public class AvatarPreparationConfiguration {
    private static final Logger log = LoggerFactory.getLogger(AvatarPreparationConfiguration.class);

    /** A fallback, so a test's own {@code PreparedAvatars} bean takes its place for the engine. */
    @Bean
    @Fallback
    public PreparedAvatarStore preparedAvatarStore(EngineSelection.Choice engineChoice, AvatarCatalog avatarCatalog,
                                                   LipsyncSettings props) {
        AvatarSettings settings = AvatarSettings.from(props.avatar());
        PreparedAvatarStore store = GenerationAssembly.preparedAvatars(engineChoice, avatarCatalog, props).orElse(null);
        if (store != null) {
            log.info("avatar preparation ready [avatars={}, cache={}]", settings.preparedDir().toAbsolutePath(),
                    settings.preparedDir().toAbsolutePath().resolveSibling("prep_cache"));
        }
        return store;
    }

    @Bean(destroyMethod = "close")
    public AvatarPreparationService avatarPreparations(ObjectProvider<PreparedAvatarStore> store,
                                                       AvatarCatalog avatarCatalog, LipsyncSettings props) {
        PreparedAvatarStore s = store.getIfAvailable();
        return s == null ? null : new AvatarPreparationService(s, avatarCatalog, props.avatar().videoDir(),
                props.video().fps(), props.avatar().maxUploadBytes(), 8);
    }
}
