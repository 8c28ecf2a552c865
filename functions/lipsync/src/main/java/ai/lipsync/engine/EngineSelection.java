package ai.lipsync.engine;

import ai.lipsync.settings.LipsyncSettings;
import ai.lipsync.musetalk.ModelFileException;
import ai.lipsync.musetalk.ModelManifest;
import ai.lipsync.musetalk.MuseTalkModels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Which engine a service instance runs, decided once at startup from its models directory
 * (shared by the local app and the AWS worker):
 * <ul>
 *   <li>no directory, or one without any manifest or graph file: the weights-free engine, with the
 *       reason (to be logged);</li>
 *   <li>a complete, verified export: MuseTalk 1.5, loaded (every graph's sha256 checked);</li>
 *   <li>anything in between (graphs without a manifest, a manifest naming missing files, a checksum
 *       mismatch, an unreadable manifest, a graph the engine needs not listed): a
 *       {@link ModelFileException} naming the file, never a silent fallback.</li>
 * </ul>
 */
public final class EngineSelection {
    private static final Logger log = LoggerFactory.getLogger(EngineSelection.class);
    /** Graphs the engine (unet, vae_decode, whisper) and avatar preparation (vae_encode, bisenet) need. */
    public static final List<String> REQUIRED_GRAPHS = List.of("unet", "vae_decode", "vae_encode", "whisper", "bisenet");
    /** Where the one-command model setup writes the graphs by default. */
    public static final Path DEFAULT_DIR = LipsyncSettings.defaults().models().dir();

    /** The decision. */
    public sealed interface Choice permits UseMuseTalk, UseWeightsFree {
        /** The engine name sessions will report. */
        String engineName();
    }

    /** MuseTalk 1.5 with its loaded graphs. */
    public record UseMuseTalk(MuseTalkModels models) implements Choice {
        @Override
        public String engineName() {
            return MuseTalkEngine.NAME;
        }

        /** What the log says: graphs, precision, device, directory. */
        public String describe() {
            return "graphs=" + models.manifest().graphs().keySet() + ", onnx=" + models.manifest().onnx().keySet()
                    + ", precision="
                    + models.manifest().graphs().get("unet").precision() + ", device=" + models.device()
                    + ", dir=" + models.manifest().dir().toAbsolutePath();
        }
    }

    /** No models: the weights-free engine, and why. */
    public record UseWeightsFree(String reason) implements Choice {
        @Override
        public String engineName() {
            return WeightsFreeEngine.NAME;
        }
    }

    private EngineSelection() {
    }

    /**
     * @param dir the configured models directory ({@code models/musetalk15/} by default)
     * @param gpuEnabled false keeps the CPU even when CUDA is present
     * @throws ModelFileException for a half-present or corrupt model set, naming the file
     */
    public static Choice choose(Path dir, boolean gpuEnabled) {
        Path abs = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(abs)) {
            return new UseWeightsFree("no MuseTalk models directory at " + abs
                    + " (set lipsync.models.dir, or export the graphs there: see the README's model setup)");
        }
        if (!holdsModelFiles(abs)) {
            return new UseWeightsFree("the MuseTalk models directory " + abs + " holds no manifest.json and no graph files");
        }
        MuseTalkModels models = MuseTalkModels.load(abs, gpuEnabled);
        for (String graph : REQUIRED_GRAPHS) {
            if (!models.has(graph)) {
                Path manifest = models.manifest().dir().resolve(ModelManifest.FILE_NAME);
                models.close();
                throw new ModelFileException(manifest, "model manifest " + manifest + " lists no '" + graph
                        + "' graph (MuseTalk 1.5 needs " + REQUIRED_GRAPHS + "): export the full set again");
            }
        }
        UseMuseTalk choice = new UseMuseTalk(models);
        log.info("MuseTalk 1.5 models verified and loaded [{}]", choice.describe());
        return choice;
    }

    /** A manifest, a graph or an ONNX model file in the directory or its fp16/fp32 subdirectories. */
    private static boolean holdsModelFiles(Path dir) {
        try (Stream<Path> files = Files.walk(dir, 2)) {
            return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                    .anyMatch(name -> name.equals(ModelManifest.FILE_NAME) || name.endsWith(".pt")
                            || name.endsWith(".onnx"));
        } catch (IOException | UncheckedIOException e) {
            throw new ModelFileException(dir, "the models directory " + dir + " cannot be listed: " + e.getMessage(), e);
        }
    }
}
