package ai.lipsync.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
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

    /** Under Maven: an absolute path to a virtual environment's Python (by default the checkout's .venv), and it runs. */
    @Test
    void underMaven_isAVenvsPythonAndRuns() throws Exception {
        Path python = ModelsPython.executable();

        assertThat(python).isAbsolute();
        Process p = new ProcessBuilder(ModelsPython.command("-c", "import sys; print(sys.prefix != sys.base_prefix)"))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).as("a venv, not the system python3").isEqualTo("True");
    }
}
