package ai.lipsync.musetalk;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lipsync.testing.ModelsPython;
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
 * Exports the golden graphs with the real export path ({@code <models python> -m musetalk_models.export
 * --golden <golden> --out target/golden-graphs}) once per test run and hands the loaded
 * {@link MuseTalkModels} to tests; closed when the run ends. Where the golden files are absent
 * the class is skipped naming the case, or fails where they are required ({@link Golden#lookup}).
 */
public final class GoldenGraphs implements ParameterResolver, ExecutionCondition {

    static final String CASE = "golden graphs export";
    static final String CASE_FILE = "unet/musetalk.json";
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(GoldenGraphs.class);

    /** Closes the models when the test run ends. */
    private record Loaded(MuseTalkModels models) implements AutoCloseable {
        @Override
        public void close() {
            models.close();
        }
    }

    /**
     * Disables the class naming the case when the golden graphs' files are absent, or fails it where
     * the golden tensors are required (Golden's rule); a parameter resolver cannot skip.
     */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext c) {
        return condition(Golden.lookup(CASE, CASE_FILE));
    }

    /** Throws (JUnit then fails the class) where the file is absent and required. */
    static ConditionEvaluationResult condition(Golden.Lookup golden) {
        golden.failIfRequiredAndAbsent();
        return golden.present() ? ConditionEvaluationResult.enabled("golden dir present")
                : ConditionEvaluationResult.disabled(golden.skipMessage());
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
        return exportAndLoad(Path.of("target", "golden-graphs").toAbsolutePath());
    }

    /**
     * The golden graphs exported into {@code out} and loaded (the caller closes them), outside JUnit
     * (benchmarks); where the golden files are absent, an error naming the case and the file.
     */
    public static MuseTalkModels exportAndLoad(Path out) {
        Golden.Lookup golden = Golden.lookup(CASE, CASE_FILE);
        if (!golden.present()) {
            throw new IllegalStateException(golden.skipMessage() + " (set MUSETALK_GOLDEN_DIR)");
        }
        export(List.of("--golden", Golden.dir().toString(), "--out", out.toString()), out);
        return MuseTalkModels.load(out, false);
    }

    /** Runs the export CLI from {@code <project.root>/models}; fails the test with its output on error. */
    public static void export(List<String> args, Path out) {
        Path modelsDir = projectRoot().resolve("models");
        try {
            Files.createDirectories(out);
            List<String> cmd = new java.util.ArrayList<>(List.of("-m", "musetalk_models.export"));
            cmd.addAll(args);
            cmd = ModelsPython.command(cmd);
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
