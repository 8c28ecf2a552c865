package ai.lipsync.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The models' Python is the one the build names, and its absence says how to make it. */
class ModelsPythonTest {

    @Test
    void unset_failsSayingHowToMakeIt() {
        assertThatThrownBy(() -> ModelsPython.executable(null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("models.python").hasMessageContaining(ModelsPython.HOW_TO_MAKE_IT);
    }

    @Test
    void absent_failsNamingThePathAndHowToMakeIt(@TempDir Path dir) {
        Path missing = dir.resolve(".venv/bin/python");

        assertThatThrownBy(() -> ModelsPython.executable(missing.toString())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("run .ci/run, or python3 -m venv .venv && .venv/bin/pip install -r models/requirements.txt");
    }

    /** Under Maven: the checkout's .venv, not a python3 from PATH, and it runs. */
    @Test
    void underMaven_isTheCheckoutsVenvAndRuns() throws Exception {
        Path python = ModelsPython.executable();
        Path root = Path.of(System.getProperty("project.root")).toAbsolutePath().normalize();

        assertThat(python.toAbsolutePath().normalize()).isEqualTo(root.resolve(".venv/bin/python"));
        Process p = new ProcessBuilder(ModelsPython.command("-c", "import sys; print(sys.prefix)"))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(Files.isSameFile(Path.of(out), root.resolve(".venv"))).as(out).isTrue();
    }
}
