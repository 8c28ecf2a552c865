package ai.lipsync.aws.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One finished run of an external command line tool (cfn-lint, python3, the aws CLI, a shell script). */
record ToolRun(List<String> command, int exitCode, String stdout, String stderr) {

    static ToolRun run(List<String> command, Path workDir, Map<String, String> environment, Duration timeout) {
        try {
            Path out = Files.createTempFile("tool-", ".out");
            Path err = Files.createTempFile("tool-", ".err");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                        .redirectOutput(out.toFile()).redirectError(err.toFile());
                builder.environment().putAll(environment);
                Process process = builder.start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor();
                    throw new AssertionError(command + " did not finish within " + timeout + ":\n" + Files.readString(err));
                }
                return new ToolRun(command, process.exitValue(),
                        Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            // A missing tool is a broken CI machine, not a reason to skip: .ci/run installs it.
            throw new AssertionError("cannot run " + command + " (is it installed? .ci/run installs it): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        }
    }

    boolean succeeded() {
        return exitCode == 0;
    }

    /** What a failed assertion shows: the command and everything it said. */
    String report() {
        return String.join(" ", command) + " exited " + exitCode + "\n" + stdout + stderr;
    }
}
