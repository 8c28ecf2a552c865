package ai.lipsync.aws.testing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code moto_server} process (Python moto's AWS emulator, on PATH) on a free port of the
 * loopback interface. {@link #start()} returns once it answers HTTP; {@link #close()} kills it
 * with its children (the pyenv shim forks the Python process). A JVM shutdown hook closes it too,
 * so an interrupted test run leaves no server behind.
 * <p>
 * What moto does not check: presigned URL signatures and expiry (any presigned URL is served),
 * and TTL deletion (expired items stay until deleted).
 */
public final class MotoServer implements AwsBackend, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MotoServer.class);
    /** A loaded 2-core machine needs a while to import moto; a healthy start takes 2-5 s. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final String HOST = "127.0.0.1";

    private final Process process;
    private final int port;
    private final Path logFile;
    private final Thread shutdownHook;

    private MotoServer(Process process, int port, Path logFile) {
        this.process = process;
        this.port = port;
        this.logFile = logFile;
        this.shutdownHook = new Thread(this::stop, "moto-server-stop-" + port);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts {@code moto_server} (or the command in {@code MOTO_SERVER}) and waits until it answers.
     *
     * @throws IllegalStateException when it is not installed or does not come up; its log is quoted
     */
    public static MotoServer start() {
        int port = freePort();
        Path logFile = logFile(port);
        String command = System.getenv().getOrDefault("MOTO_SERVER", "moto_server");
        Process process;
        try {
            process = new ProcessBuilder(List.of(command, "-H", HOST, "-p", Integer.toString(port)))
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start '" + command + "': install moto with its server"
                    + " (pip install 'moto[server]') or set MOTO_SERVER to its path", e);
        }
        MotoServer server = new MotoServer(process, port, logFile);
        try {
            server.awaitReady();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        log.info("moto_server up on {} (log {})", server.endpoint(), logFile);
        return server;
    }

    @Override
    public String name() {
        return "moto";
    }

    @Override
    public URI endpoint() {
        return URI.create("http://" + HOST + ":" + port);
    }

    public int port() {
        return port;
    }

    /** Forgets every resource and item (moto's reset API). */
    public void reset() {
        try {
            HttpURLConnection c = (HttpURLConnection) endpoint().resolve("/moto-api/reset").toURL().openConnection();
            c.setRequestMethod("POST");
            int status = c.getResponseCode();
            c.disconnect();
            if (status != 200) {
                throw new IllegalStateException("moto reset answered " + status);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("moto reset failed", e);
        }
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook is running or ran.
        }
    }

    private void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        log.info("moto_server on port {} stopped", port);
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto_server exited with " + process.exitValue()
                        + " before answering; its log:\n" + tail());
            }
            if (answers()) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for moto_server", e);
            }
        }
        throw new IllegalStateException("moto_server did not answer on " + endpoint() + " within "
                + START_TIMEOUT + "; its log:\n" + tail());
    }

    private boolean answers() {
        try {
            HttpURLConnection c = (HttpURLConnection) endpoint().resolve("/moto-api/").toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(2000);
            int status = c.getResponseCode();
            c.disconnect();
            return status > 0;
        } catch (IOException e) {
            return false;
        }
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    private static Path logFile(int port) {
        try {
            Path dir = Files.isDirectory(Path.of("target")) ? Path.of("target") : Path.of(System.getProperty("java.io.tmpdir"));
            return Files.createTempFile(dir, "moto-" + port + "-", ".log");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the moto_server log file", e);
        }
    }
}
