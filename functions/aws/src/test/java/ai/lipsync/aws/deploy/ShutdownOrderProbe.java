package ai.lipsync.aws.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Stands in for the web app and the worker when {@link LocalRunScriptTest} runs localstack/run.sh:
 * on SIGTERM it behaves like a worker finishing its job (it keeps running for a moment) and then
 * records whether the emulator at AWS_ENDPOINT_URL still answers, which it must, since the real
 * worker needs DynamoDB, S3 and SQS to finish or release its job.
 *
 * <p>Files written to PROBE_DIR: {@code <role>.started} once the hook is in place, and
 * {@code <role>.stopped} with {@code emulator answered: true|false}. The role is the first argument
 * (the script passes LIPSYNC_APP_ARGS to the app and nothing to the worker).
 */
public final class ShutdownOrderProbe {
    private ShutdownOrderProbe() {
    }

    public static void main(String[] args) throws Exception {
        String role = args.length > 0 ? args[0] : "worker";
        Path dir = Path.of(System.getenv("PROBE_DIR"));
        URI endpoint = URI.create(System.getenv("AWS_ENDPOINT_URL"));
        long finishMillis = Long.parseLong(System.getenv().getOrDefault("PROBE_FINISH_MILLIS", "1500"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Thread.sleep(finishMillis);
                write(dir.resolve(role + ".stopped"), "emulator answered: " + answers(endpoint));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        write(dir.resolve(role + ".started"), "started");
        Thread.sleep(Long.MAX_VALUE);
    }

    private static boolean answers(URI endpoint) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void write(Path file, String text) {
        try {
            Path partial = file.resolveSibling(file.getFileName() + ".partial");
            Files.writeString(partial, text);
            Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
