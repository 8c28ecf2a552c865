package ai.lipsync.musetalk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Exports the golden graphs with the real export path ({@code python3 -m musetalk_models.export
 * --golden <golden> --out target/golden-graphs}) once per test run and hands the loaded
 * {@link MuseTalkModels} to tests; closed when the run ends. Skips (naming the case) when the
 * golden directory is absent.
 */
public final class GoldenGraphs implements ParameterResolver, ExecutionCondition {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(GoldenGraphs.class);

    /** Closes the models when the test run ends. */
    private record Loaded(MuseTalkModels models) implements AutoCloseable {
        @Override
        public void close() {
            models.close();
        }
    }

    /** Skips (with the case's name) when the golden directory is absent; a parameter resolver cannot. */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext c) {
        Path p = Golden.dir().resolve("unet/musetalk.json");
        return Files.exists(p) ? ConditionEvaluationResult.enabled("golden dir present")
                : ConditionEvaluationResult.disabled("golden case 'golden graphs export' skipped: " + p + " is absent");
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
        return p.getParameter().getType() == MuseTalkModels.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext c) {
        return c.getRoot().getStore(NS).computeIfAbsent("models", k -> new Loaded(exportAndLoad()), Loaded.class)
                .models();
    }

    private static MuseTalkModels exportAndLoad() {
        Path out = Path.of("target", "golden-graphs").toAbsolutePath();
        export(List.of("--golden", Golden.dir().toString(), "--out", out.toString()), out);
        return MuseTalkModels.load(out, false);
    }

    /** Runs the export CLI from {@code <project.root>/models}; fails the test with its output on error. */
    public static void export(List<String> args, Path out) {
        Path modelsDir = projectRoot().resolve("models");
        try {
            Files.createDirectories(out);
            List<String> cmd = new java.util.ArrayList<>(List.of("python3", "-m", "musetalk_models.export"));
            cmd.addAll(args);
            Path log = out.resolve("export.log");
            Process p = new ProcessBuilder(cmd).directory(modelsDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            boolean done = p.waitFor(20, TimeUnit.MINUTES);
            if (!done) {
                p.destroyForcibly();
            }
            String text = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(done).as("export timed out:\n" + text).isTrue();
            assertThat(p.exitValue()).as("export failed (" + String.join(" ", cmd) + "):\n" + text).isZero();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static Path projectRoot() {
        return Path.of(System.getProperty("project.root", Path.of("").toAbsolutePath().resolve("../..").toString()))
                .toAbsolutePath().normalize();
    }
}
