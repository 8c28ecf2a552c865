package ai.lipsync.musetalk;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lipsync.testing.ModelsPython;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Runs {@code trace_test_graphs.py} (torch) to make tiny UNet-shaped graphs in a directory. */
final class TracedTestGraphs {

    private TracedTestGraphs() {
    }

    static void traceInto(Path dir) throws IOException, InterruptedException {
        Path script = dir.resolve("trace_test_graphs.py");
        try (InputStream in = TracedTestGraphs.class.getResourceAsStream("trace_test_graphs.py")) {
            Files.copy(in, script);
        }
        Process p = new ProcessBuilder(ModelsPython.command(script.toString(), dir.toString()))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("tracing finished").isTrue();
        assertThat(p.exitValue()).as("trace_test_graphs.py failed:\n" + out).isZero();
    }
}
