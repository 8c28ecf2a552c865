package ai.lipsync.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Model directories derived from an exported one, for the failure cases: graph files linked (not
 * copied: they are large), the manifest rewritten.
 */
public final class ModelDirs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelDirs() {
    }

    /** Links every file of {@code from} (graphs, ONNX models) into {@code to} except the manifest, which {@code edit} may change. */
    public static Path derive(Path from, Path to, Consumer<ObjectNode> edit) {
        try {
            Files.createDirectories(to);
            try (Stream<Path> files = Files.list(from)) {
                for (Path f : files.filter(p -> Files.isRegularFile(p)
                        && !p.getFileName().toString().equals("manifest.json")).toList()) {
                    Files.createSymbolicLink(to.resolve(f.getFileName()), f.toAbsolutePath());
                }
            }
            ObjectNode manifest = (ObjectNode) JSON.readTree(from.resolve("manifest.json").toFile());
            edit.accept(manifest);
            Files.write(to.resolve("manifest.json"), JSON.writeValueAsBytes(manifest));
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A copy of {@code from} whose unet fails on its first call, as libtorch fails ({@code mode}
     * "oom" or "shape"), and runs the real unet afterwards (made by failing_unet.py).
     */
    public static Path withUnetFailingOnce(Path from, Path to, String mode) {
        return withWrappedUnet(from, to, "failing_unet.py", "unet-failing-" + mode + ".pt", List.of(mode),
                List.of());
    }

    /** A model directory whose unet blocks inside libtorch until {@link #release}d (blocking_unet.py). */
    public record BlockingUnet(Path dir, Path startedFlag, Path releaseFlag) {

        /** Whether a unet call has entered the graph. */
        public boolean started() {
            try {
                return Files.readAllBytes(startedFlag)[0] != 0;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Lets every blocked (and later) call run the real unet. */
        public void release() {
            // In place, never truncating: the blocked call maps this file on every turn of its loop, and a
            // file truncated under a mapping (Files.write does that first) makes libtorch read past its end.
            try (java.nio.channels.FileChannel f = java.nio.channels.FileChannel.open(releaseFlag,
                    java.nio.file.StandardOpenOption.WRITE)) {
                f.write(java.nio.ByteBuffer.wrap(new byte[] {1}), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A copy of {@code from} whose every unet call blocks inside the graph until released. */
    public static BlockingUnet withBlockingUnet(Path from, Path to) {
        try {
            Files.createDirectories(to);
            Path started = Files.write(to.resolve("started"), new byte[] {0});
            Path release = Files.write(to.resolve("release"), new byte[2]); // blocking_unet.py reads 1 or 2 bytes
            Path dir = withWrappedUnet(from, to, "blocking_unet.py", "unet-blocking.pt", List.of(),
                    List.of(started.toAbsolutePath().toString(), release.toAbsolutePath().toString()));
            return new BlockingUnet(dir, started, release);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code script} [before...] good.pt out.pt [after...] and points a derived manifest's unet at out.pt. */
    private static Path withWrappedUnet(Path from, Path to, String scriptName, String outName, List<String> before,
            List<String> after) {
        try {
            Files.createDirectories(to);
            Path script = to.resolve(scriptName);
            try (InputStream in = ModelDirs.class.getResourceAsStream(scriptName)) {
                Files.write(script, in.readAllBytes());
            }
            Path unet = to.resolve(outName);
            List<String> command = new java.util.ArrayList<>(List.of(script.toString()));
            command.addAll(before);
            command.addAll(List.of(from.resolve("unet.pt").toString(), unet.toString()));
            command.addAll(after);
            Process p = new ProcessBuilder(ModelsPython.command(command)).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException(scriptName + " failed: " + out);
            }
            return derive(from, to.resolve("models"), m -> {
                ObjectNode spec = (ObjectNode) m.get("graphs").get("unet");
                spec.put("file", "../" + unet.getFileName());
                spec.put("sha256", sha256(unet));
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(Path file) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(Files.readAllBytes(file));
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
