package ai.lipsync.local;

import ai.lipsync.api.SettingsConfiguration;
import ai.lipsync.aws.SettingsBinder;
import ai.lipsync.settings.LipsyncSettings;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.ResourcePropertySource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The web app, the Lambda function and the worker read one environment name as one setting. */
class SettingsBindingTest {
    private static final Map<String, String> ENV = Map.ofEntries(
            Map.entry("LIPSYNC_VIDEO_FPS", "30"),
            Map.entry("LIPSYNC_VIDEO_QUALITY", "20"),
            Map.entry("LIPSYNC_TTS_TIMEOUT", "7s"),
            Map.entry("LIPSYNC_TTS_PROVIDER", "openai"),
            Map.entry("LIPSYNC_TTS_VOICES_RU", "alena"),
            Map.entry("LIPSYNC_API_MAXTEXTLENGTH", "500"),
            Map.entry("LIPSYNC_AVATAR_IDS", "default,anna"),
            Map.entry("LIPSYNC_AVATAR_FACEBOXES_ANNA", "1,2,100,120"),
            Map.entry("LIPSYNC_PLAYLIST_PRESIGNEXPIRY", "2h"),
            Map.entry("LIPSYNC_MODELS_BATCHSIZE", "4"),
            Map.entry("LIPSYNC_AWS_TABLE", "sessions-eu"),
            Map.entry("LIPSYNC_AWS_VISIBILITY", "5m"),
            Map.entry("LIPSYNC_AWS_MAXRECEIVES", "5"));

    @Test
    void theSameEnvironmentNames_reachTheWebAppTheLambdaAndTheWorkerAlike() throws Exception {
        LipsyncSettings worker = SettingsBinder.bind(ENV);
        LipsyncSettings webApp = new SettingsConfiguration().lipsyncSettings(environment(ENV, "application.yml"));
        LipsyncSettings lambda = new SettingsConfiguration().lipsyncSettings(environment(ENV, "lambda-api.properties"));

        assertThat(webApp).isEqualTo(worker);
        assertThat(lambda).isEqualTo(worker);
        assertThat(worker.video().fps()).isEqualTo(30);
        assertThat(worker.video().quality()).isEqualTo(20);
        assertThat(worker.tts().timeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(worker.tts().voices()).containsValue("alena");
        assertThat(worker.api().maxTextLength()).isEqualTo(500);
        assertThat(worker.avatar().checkedIds()).containsExactlyInAnyOrder("default", "anna");
        assertThat(worker.avatar().parsedFaceBoxes()).containsKey("anna");
        assertThat(worker.playlist().presignExpiry()).isEqualTo(Duration.ofHours(2));
        assertThat(worker.models().batchSize()).isEqualTo(4);
        assertThat(worker.aws().table()).isEqualTo("sessions-eu");
        assertThat(worker.aws().visibility()).isEqualTo(Duration.ofMinutes(5));
        assertThat(worker.aws().maxReceives()).isEqualTo(5);
    }

    @Test
    void applicationYmlKeys_andEnvironmentNames_meanTheSameSetting() throws Exception {
        StandardEnvironment dotted = new StandardEnvironment();
        dotted.getPropertySources().addFirst(new MapPropertySource("args", Map.of(
                "lipsync.video.fps", "30", "lipsync.storage.data-dir", "/srv/data", "lipsync.avatar.cache-size", "2")));

        assertThat(SettingsBinder.bind(dotted)).isEqualTo(SettingsBinder.bind(Map.of(
                "LIPSYNC_VIDEO_FPS", "30", "LIPSYNC_STORAGE_DATADIR", "/srv/data", "LIPSYNC_AVATAR_CACHESIZE", "2")));
        assertThat(SettingsBinder.bind(dotted).storage().dataDir()).isEqualTo(Path.of("/srv/data"));
    }

    @Test
    void theWebAppsApplicationYml_setsNoDefaultOfItsOwn() throws Exception {
        assertThat(new SettingsConfiguration().lipsyncSettings(environment(Map.of(), "application.yml")))
                .isEqualTo(LipsyncSettings.defaults());
    }

    /** A Spring environment as the application sees it: its own file beneath the process environment. */
    private static StandardEnvironment environment(Map<String, String> env, String file) throws Exception {
        StandardEnvironment environment = new StandardEnvironment();
        var sources = environment.getPropertySources();
        sources.remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        sources.remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        sources.addFirst(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new HashMap<>(env)));
        ClassPathResource resource = new ClassPathResource(file);
        if (file.endsWith(".yml")) {
            new YamlPropertySourceLoader().load(file, resource).forEach(sources::addLast);
        } else {
            sources.addLast(new ResourcePropertySource(file, resource));
        }
        return environment;
    }
}
