package ai.lipsync.musetalk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one rule for absent golden files (Golden.lookup): skipped by name, or failed where
 * MUSETALK_GOLDEN_REQUIRED is 1/true; GoldenGraphs' class condition follows it.
 */
class GoldenRuleTest {

    @ParameterizedTest
    @ValueSource(strings = {"1", "true", "TRUE", " true "})
    void absentFile_whereRequired_failsNamingTheCaseAndTheFile(String value, @TempDir Path dir) {
        Path file = dir.resolve("unet/case.safetensors");
        Golden.Lookup golden = Golden.lookup("unet", file, value);

        assertThat(golden.required()).isTrue();
        assertThatThrownBy(golden::failIfRequiredAndAbsent).isInstanceOf(AssertionError.class)
                .hasMessageContaining("golden case 'unet'").hasMessageContaining(file.toString())
                .hasMessageContaining("MUSETALK_GOLDEN_REQUIRED");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "0", "false", "yes"})
    void absentFile_whereNotRequired_isSkippedByName(String value, @TempDir Path dir) {
        Path file = dir.resolve("unet/case.safetensors");
        Golden.Lookup golden = Golden.lookup("unet", file, value).failIfRequiredAndAbsent();

        assertThat(golden.present()).isFalse();
        assertThat(golden.skipMessage()).contains("golden case 'unet' skipped").contains(file.toString());
    }

    @Test
    void presentFile_whereRequired_runs(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("case.safetensors"), "x");

        assertThat(Golden.lookup("unet", file, "1").failIfRequiredAndAbsent().present()).isTrue();
    }

    @Test
    void graphsCondition_followsTheRule(@TempDir Path dir) throws IOException {
        Path absent = dir.resolve(GoldenGraphs.CASE_FILE);

        assertThatThrownBy(() -> GoldenGraphs.condition(Golden.lookup(GoldenGraphs.CASE, absent, "1")))
                .isInstanceOf(AssertionError.class).hasMessageContaining(GoldenGraphs.CASE);
        ConditionEvaluationResult skipped = GoldenGraphs.condition(Golden.lookup(GoldenGraphs.CASE, absent, null));
        assertThat(skipped.isDisabled()).isTrue();
        assertThat(skipped.getReason()).hasValueSatisfying(r -> assertThat(r).contains(GoldenGraphs.CASE, absent.toString()));

        Files.createDirectories(absent.getParent());
        Path present = Files.writeString(absent, "{}");
        assertThat(GoldenGraphs.condition(Golden.lookup(GoldenGraphs.CASE, present, "1")).isDisabled()).isFalse();
    }

    /** The extension itself, in a JVM whose environment says the golden tensors are required. */
    @Test
    void graphsExtension_inAnEnvironmentRequiringGolden_failsOnAnAbsentDirectory(@TempDir Path dir) throws Exception {
        Path absent = dir.resolve("no-golden");

        Probe required = Probe.run(Map.of("MUSETALK_GOLDEN_DIR", absent.toString(), "MUSETALK_GOLDEN_REQUIRED", "1"));
        Probe optional = Probe.run(Map.of("MUSETALK_GOLDEN_DIR", absent.toString(), "MUSETALK_GOLDEN_REQUIRED", "0"));

        assertThat(required.exitCode()).as(required.output()).isEqualTo(1);
        assertThat(required.output()).contains("golden case '" + GoldenGraphs.CASE + "' absent")
                .contains(absent.toString()).contains("MUSETALK_GOLDEN_REQUIRED");
        assertThat(optional.exitCode()).as(optional.output()).isZero();
        assertThat(optional.output()).contains("disabled").contains("golden case '" + GoldenGraphs.CASE + "' skipped");
    }

    /** What GoldenGraphs' condition answers in a JVM of its own with {@code env}. */
    record Probe(int exitCode, String output) {
        static Probe run(Map<String, String> env) throws IOException, InterruptedException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            List<String> cmd = new ArrayList<>(List.of(java, "-cp", classpath, Probe.class.getName()));
            ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true);
            builder.environment().putAll(env);
            Process p = builder.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(2, TimeUnit.MINUTES)).as(out).isTrue();
            return new Probe(p.exitValue(), out);
        }

        /** Prints the condition's answer (exit 0) or the failure it throws (exit 1). */
        public static void main(String[] args) {
            try {
                ConditionEvaluationResult r = new GoldenGraphs().evaluateExecutionCondition(null);
                System.out.println((r.isDisabled() ? "disabled: " : "enabled: ") + r.getReason().orElse(""));
            } catch (AssertionError e) {
                System.out.println("failed: " + e.getMessage());
                System.exit(1);
            }
        }
    }
}
