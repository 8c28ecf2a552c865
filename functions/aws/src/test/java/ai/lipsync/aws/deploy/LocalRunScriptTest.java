package ai.lipsync.aws.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * localstack/run.sh on its moto path (this machine has no Docker): the emulator comes up with the
 * resources, and stopping the script stops everything it started. The web app and worker part of
 * the script needs their jars and is exercised by the end-to-end tests of the AWS path.
 */
class LocalRunScriptTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final Path root = SamTemplates.projectRoot();
    private final Path script = root.resolve("localstack/run.sh");

    @Test
    void runScript_infraOnlyOnMoto_createsTheResourcesAndStopsMotoWhenStopped(@TempDir Path dir) throws Exception {
        int port = freePort();
        Map<String, String> environment = environment(dir, port);
        environment.put("LIPSYNC_QUEUE", "run-script-jobs");
        ProcessBuilder builder = new ProcessBuilder("bash", script.toString(), "--moto", "--infra-only")
                .directory(root.toFile()).redirectError(dir.resolve("run.err").toFile());
        builder.environment().putAll(environment);
        Process run = builder.start();
        run.getOutputStream().close();
        try {
            String endpointLine = firstLine(run, dir);
            assertThat(endpointLine).isEqualTo("AWS_ENDPOINT_URL=http://127.0.0.1:" + port);
            ToolRun queue = ToolRun.run(List.of("aws", "--endpoint-url", "http://127.0.0.1:" + port, "--output", "text",
                    "sqs", "get-queue-url", "--queue-name", "run-script-jobs"), root, environment, TIMEOUT);
            assertThat(queue.succeeded()).as(queue.report()).isTrue();
            assertThat(answers(port)).isTrue();
        } finally {
            run.destroy(); // SIGTERM, as `kill` or a stopping terminal sends
            assertThat(run.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        }

        assertThat(answers(port)).as("moto_server stopped with the script").isFalse();
        assertThat(Files.readString(dir.resolve("run.err"))).contains("[run.sh] stopped");
    }

    @Test
    void runScript_withoutTheJarsAndNoBuild_failsNamingTheMissingJar(@TempDir Path dir) throws IOException {
        Map<String, String> environment = environment(dir, freePort());
        environment.put("LIPSYNC_APP_JAR", dir.resolve("missing-app.jar").toString());

        ToolRun run = ToolRun.run(List.of("bash", script.toString(), "--moto", "--no-build"), root, environment, TIMEOUT);

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.stderr()).contains("missing-app.jar is missing").contains("mvn -DskipTests package");
    }

    @Test
    void runScript_onATakenPort_failsSayingSo(@TempDir Path dir) throws IOException {
        try (ServerSocket taken = new ServerSocket(0)) {
            Map<String, String> environment = environment(dir, taken.getLocalPort());

            ToolRun run = ToolRun.run(List.of("bash", script.toString(), "--moto", "--infra-only"), root, environment,
                    TIMEOUT);

            assertThat(run.exitCode()).isNotZero();
            assertThat(run.stderr()).contains("port " + taken.getLocalPort() + " is taken");
        }
    }

    @Test
    void runScript_withAnUnknownOption_failsPointingToHelp() {
        ToolRun run = ToolRun.run(List.of("bash", script.toString(), "--fast"), root, Map.of(), TIMEOUT);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("unknown option '--fast'");
    }

    private Map<String, String> environment(Path dir, int port) {
        Map<String, String> environment = new HashMap<>();
        environment.put("MOTO_PORT", Integer.toString(port));
        environment.put("MOTO_LOG", dir.resolve("moto.log").toString());
        environment.put("AWS_ACCESS_KEY_ID", "test");
        environment.put("AWS_SECRET_ACCESS_KEY", "test");
        environment.put("AWS_DEFAULT_REGION", "us-east-1");
        return environment;
    }

    /** The script's first stdout line (it prints the endpoint once the resources exist). */
    private static String firstLine(Process run, Path dir) throws Exception {
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return new BufferedReader(new InputStreamReader(run.getInputStream(), StandardCharsets.UTF_8)).readLine();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            return line.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("run.sh printed no endpoint within " + TIMEOUT + ":\n"
                    + Files.readString(dir.resolve("run.err")), e);
        }
    }

    private static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
