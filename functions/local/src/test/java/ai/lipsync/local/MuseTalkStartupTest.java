package ai.lipsync.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A broken MuseTalk model set stops the start with the file's name; it never falls back silently. */
class MuseTalkStartupTest {

    @Test
    void start_withGraphFilesButNoManifest_refusesToStartNamingTheManifest(@TempDir Path models) throws Exception {
        Files.write(models.resolve("unet.pt"), new byte[] {1, 2, 3});

        assertThatThrownBy(() -> new SpringApplicationBuilder(LocalApplication.class)
                .run("--server.port=0", "--lipsync.models.dir=" + models).close())
                .hasRootCauseInstanceOf(MissingPrerequisiteException.class)
                .rootCause().hasMessageContaining(models.resolve("manifest.json").toString())
                .hasMessageContaining("incomplete or corrupt");
    }

    @Test
    void start_withAnUnreadableManifest_refusesToStartNamingIt(@TempDir Path models) throws Exception {
        Files.writeString(models.resolve("manifest.json"), "{ not json");

        assertThatThrownBy(() -> new SpringApplicationBuilder(LocalApplication.class)
                .run("--server.port=0", "--lipsync.models.dir=" + models).close())
                .hasRootCauseInstanceOf(MissingPrerequisiteException.class)
                .rootCause().hasMessageContaining(models.resolve("manifest.json").toString());
    }
}
