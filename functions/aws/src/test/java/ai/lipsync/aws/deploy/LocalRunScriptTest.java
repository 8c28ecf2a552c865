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
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * localstack/run.sh on its moto path (this machine has no Docker): the emulator comes up with the
 * resources, and stopping the script stops everything it started, the app and the worker before the
 * emulator. The real web app and worker are exercised by the end-to-end tests of the AWS path; here
 * {@link ShutdownOrderProbe} stands in for both.
 */
class LocalRunScriptTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final Path root = SamTemplates.projectRoot();
    private final Path script = root.resolve("localstack/run.sh");

    @Test
    void runScript_infraOnlyOnMoto_createsTheResourcesAndStopsMotoWhenStopped(@TempDir Path dir) throws Exception {
        int port = freePort();
        Map<String, String> environment = environment(dir, port);
        environment.put("LIPSYNC_AWS_QUEUE", "run-script-jobs");
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
    void runScript_stopped_stopsTheAppAndTheWorkerBeforeMoto(@TempDir Path dir) throws Exception {
        int port = freePort();
        Map<String, String> environment = environment(dir, port);
        Path probeJar = probeJar(dir);
        environment.put("LIPSYNC_APP_JAR", probeJar.toString());
        environment.put("LIPSYNC_WORKER_JAR", probeJar.toString());
        environment.put("LIPSYNC_APP_ARGS", "app");
        environment.put("PROBE_DIR", dir.toString());
        ProcessBuilder builder = new ProcessBuilder("bash", script.toString(), "--moto", "--no-build")
                .directory(root.toFile()).redirectError(dir.resolve("run.err").toFile());
        builder.environment().putAll(environment);
        Process run = builder.start();
        run.getOutputStream().close();
        try {
            assertThat(firstLine(run, dir)).isEqualTo("AWS_ENDPOINT_URL=http://127.0.0.1:" + port);
            awaitFile(dir.resolve("app.started"), run, dir);
            awaitFile(dir.resolve("worker.started"), run, dir);
        } finally {
            run.destroy();
            assertThat(run.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        }

        String log = Files.readString(dir.resolve("run.err"));
        assertThat(dir.resolve("worker.stopped")).as(log).content().isEqualTo("emulator answered: true");
        assertThat(dir.resolve("app.stopped")).as(log).content().isEqualTo("emulator answered: true");
        assertThat(answers(port)).as("moto_server stopped with the script").isFalse();
        assertThat(log).contains("[run.sh] stopped");
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

    /** An executable jar whose main class is {@link ShutdownOrderProbe}. */
    private static Path probeJar(Path dir) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, ShutdownOrderProbe.class.getName());
        Path jar = dir.resolve("probe.jar");
        Path classes = Path.of(ShutdownOrderProbe.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        Path packageDir = classes.resolve(ShutdownOrderProbe.class.getPackageName().replace('.', '/'));
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
                Stream<Path> files = Files.list(packageDir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("ShutdownOrderProbe")).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(file));
                out.closeEntry();
            }
        }
        return jar;
    }

    private static void awaitFile(Path file, Process run, Path dir) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!Files.exists(file)) {
            if (!run.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError(file.getFileName() + " never appeared:\n" + Files.readString(dir.resolve("run.err")));
            }
            Thread.sleep(100);
        }
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
