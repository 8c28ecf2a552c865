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
        try {
            Files.createDirectories(to);
            Path script = to.resolve("failing_unet.py");
            try (InputStream in = ModelDirs.class.getResourceAsStream("failing_unet.py")) {
                Files.write(script, in.readAllBytes());
            }
            Path unet = to.resolve("unet-failing-" + mode + ".pt");
            Process p = new ProcessBuilder(ModelsPython.command(script.toString(), mode,
                    from.resolve("unet.pt").toString(), unet.toString())).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("failing_unet.py failed: " + out);
            }
            Path dir = derive(from, to.resolve("models"), m -> {
                ObjectNode spec = (ObjectNode) m.get("graphs").get("unet");
                spec.put("file", "../" + unet.getFileName());
                spec.put("sha256", sha256(unet));
            });
            return dir;
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
