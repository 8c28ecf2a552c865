package ai.lipsync.local;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StartupPrerequisiteTest {

    @Test
    void start_withoutEspeak_refusesToStartAndSaysWhatToInstall() {
        SpringApplicationBuilder app = new SpringApplicationBuilder(LocalApplication.class);

        // Command-line arguments: they outrank application.yml, as a user's would.
        assertThatThrownBy(() -> app.run("--server.port=0", "--lipsync.tts.espeak-command=/nonexistent/espeak-ng").close())
                .hasRootCauseInstanceOf(MissingPrerequisiteException.class)
                .rootCause().hasMessageContaining("apt-get install espeak-ng");
    }

    @Test
    void start_withOpenAiAndNoKey_refusesToStartAndNamesTheSetting() {
        SpringApplicationBuilder app = new SpringApplicationBuilder(LocalApplication.class);

        assertThatThrownBy(() -> app.run("--server.port=0", "--lipsync.tts.provider=openai").close())
                .hasRootCauseInstanceOf(MissingPrerequisiteException.class)
                .rootCause().hasMessageContaining("API key");
    }

    @Test
    void start_withMissingDefaultAvatar_refusesToStartAndSaysWhereToPutIt() {
        SpringApplicationBuilder app = new SpringApplicationBuilder(LocalApplication.class);

        assertThatThrownBy(() -> app.run("--server.port=0", "--lipsync.avatar.default-id=nobody").close())
                .hasRootCauseInstanceOf(MissingPrerequisiteException.class)
                .rootCause().hasMessageContaining("'nobody'");
    }

    @Test
    void failureAnalyzer_printsTheInstallCommandAsTheAction() {
        MissingPrerequisiteException missing = new MissingPrerequisiteException("espeak-ng was not found.",
                "Install espeak-ng: sudo apt-get install espeak-ng");

        FailureAnalysis analysis = new MissingPrerequisiteFailureAnalyzer().analyze(new IllegalStateException(missing));

        assertThat(analysis.getDescription()).isEqualTo("espeak-ng was not found.");
        assertThat(analysis.getAction()).contains("apt-get install espeak-ng");
    }
}
