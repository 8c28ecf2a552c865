package ai.lipsync.musetalk;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.Translator;
import ai.lipsync.audio.PcmAudio;
import ai.lipsync.compose.BgrImage;
import ai.lipsync.musetalk.ModelManifest.GraphSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the exported MuseTalk 1.5 graphs ({@code unet}, {@code vae_decode}, {@code vae_encode},
 * {@code whisper}, {@code whisper_mel}, {@code bisenet}) loaded with DJL's PyTorch engine.
 *
 * <p>The model directory holds {@code manifest.json} and the graph files, or {@code fp16/} and
 * {@code fp32/} subdirectories each holding one export. With CUDA (and GPU use allowed) the GPU is
 * used: fp16 when an fp16 export exists, else fp32 (never the CPU silently); without it CPU + fp32
 * (fp16 on CPU is ~100x slower, refused). Every graph file is checked against the manifest's sha256
 * before it is loaded.
 */
public final class MuseTalkModels implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MuseTalkModels.class);
    private static final String ENGINE = "PyTorch";

    private final ModelManifest manifest;
    private final Device device;
    private final Map<String, Graph<?, ?>> graphs;
    private volatile boolean closed;

    private MuseTalkModels(ModelManifest manifest, Device device, Map<String, Graph<?, ?>> graphs) {
        this.manifest = manifest;
        this.device = device;
        this.graphs = graphs;
    }

    /** Loads with GPU use allowed. */
    public static MuseTalkModels load(Path dir) {
        return load(dir, true);
    }

    /**
     * Loads every known graph the manifest lists.
     *
     * @param gpuEnabled false forces CPU + fp32 even when a GPU is present
     * @throws ModelFileException when the manifest or a graph file is missing, corrupt or unloadable
     */
    public static MuseTalkModels load(Path dir, boolean gpuEnabled) {
        int gpus = Engine.getEngine(ENGINE).getGpuCount();
        Selection sel = select(dir, gpuEnabled && gpus > 0);
        log.info("MuseTalk export chosen: {} [cuda={}, lipsync.models.gpu={}]", sel.reason(), gpus > 0, gpuEnabled);
        return load(sel.manifest(), sel.device());
    }

    /** Loads one export on a given device (the selection rules bypassed: tests, tools). */
    static MuseTalkModels load(ModelManifest manifest, Device device) {
        Selection sel = new Selection(manifest, device, "given");
        for (GraphSpec spec : manifest.graphs().values()) {
            verify(manifest, spec);
        }
        for (GraphSpec spec : manifest.onnx().values()) {
            verify(manifest, spec);
        }
        Map<String, Graph<?, ?>> graphs = new LinkedHashMap<>();
        try {
            for (GraphSpec spec : manifest.graphs().values()) {
                Optional<Graph<?, ?>> g = loadGraph(manifest, spec, sel.device());
                g.ifPresent(graph -> graphs.put(spec.name(), graph));
            }
        } catch (RuntimeException e) {
            graphs.values().forEach(Graph::close);
            throw e;
        }
        log.info("loaded MuseTalk graphs {} [precision={}, device={}, dir={}, onnx={}]", graphs.keySet(),
                manifest.precision(), sel.device(), manifest.dir(), manifest.onnx().keySet());
        return new MuseTalkModels(manifest, sel.device(), graphs);
    }

    /** @param reason why this export and device, for the log */
    record Selection(ModelManifest manifest, Device device, String reason) {
    }

    /**
     * Picks the export to use, as a function of whether CUDA may be used and the exports present:
     * on a GPU fp16 when there is an fp16 export, else fp32 on the GPU (slower and twice the memory,
     * but far faster than the CPU; said in the log); without a GPU fp32 on the CPU, and an fp16-only
     * export is refused.
     */
    static Selection select(Path dir, boolean gpu) {
        List<ModelManifest> found = new ArrayList<>();
        for (Path candidate : List.of(dir, dir.resolve("fp16"), dir.resolve("fp32"))) {
            if (Files.isRegularFile(candidate.resolve(ModelManifest.FILE_NAME))) {
                found.add(ModelManifest.read(candidate));
            }
        }
        if (found.isEmpty()) {
            ModelManifest.read(dir); // throws the missing-manifest error naming the file
        }
        if (gpu) {
            for (ModelManifest m : found) {
                if (m.precision().equals("fp16")) {
                    return new Selection(m, Device.gpu(), "fp16 on the GPU (" + m.dir() + ")");
                }
            }
            ModelManifest m = found.get(0);
            return new Selection(m, Device.gpu(), m.precision() + " on the GPU: CUDA is present but " + m.dir()
                    + " holds no fp16 export (export one with '--precision fp16 --device cuda' for about half the"
                    + " memory and twice the speed)");
        }
        for (ModelManifest m : found) {
            if (m.precision().equals("fp32")) {
                return new Selection(m, Device.cpu(), "fp32 on the CPU (" + m.dir() + ")");
            }
        }
        Path file = found.get(0).dir().resolve(ModelManifest.FILE_NAME);
        throw new ModelFileException(file, "only fp16 graphs in " + found.get(0).dir()
                + " and no GPU: fp16 on the CPU is too slow, export with '--precision fp32'");
    }

    /** Presence and sha256 of one graph (or ONNX model) file. */
    static void verify(ModelManifest manifest, GraphSpec spec) {
        Path file = manifest.fileOf(spec);
        if (!Files.isRegularFile(file)) {
            throw new ModelFileException(file, "model file " + file + " (graph '" + spec.name()
                    + "', listed in " + manifest.dir().resolve(ModelManifest.FILE_NAME) + ") is missing");
        }
        if (spec.sha256().isEmpty()) {
            log.debug("no checksum in the manifest [graph={}, file={}]", spec.name(), file);
            return;
        }
        String actual = sha256(file);
        if (!actual.equalsIgnoreCase(spec.sha256())) {
            throw new ModelFileException(file, "model file " + file + " (graph '" + spec.name()
                    + "') is corrupt: sha256 " + actual + ", manifest says " + spec.sha256()
                    + "; re-export or re-download it");
        }
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new ModelFileException(file, "model file " + file + " is unreadable: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    private static Optional<Graph<?, ?>> loadGraph(ModelManifest manifest, GraphSpec spec, Device device) {
        return switch (spec.name()) {
            case "unet" -> Optional.of(load(manifest, spec, device, UNetInput.class, LatentBatch.class,
                    new UNetTranslator(spec)));
            case "vae_decode" -> Optional.of(load(manifest, spec, device, LatentBatch.class, List.class,
                    new VaeDecodeTranslator(spec)));
            case "vae_encode" -> Optional.of(load(manifest, spec, device, VaeEncodeInput.class, LatentBatch.class,
                    new VaeEncodeTranslator(spec)));
            case "whisper" -> Optional.of(load(manifest, spec, device, PcmAudio.class, WhisperFeatures.class,
                    new WhisperTranslator(spec)));
            case "whisper_mel" -> Optional.of(load(manifest, spec, device, PcmAudio.class, MelSpectrogram.class,
                    new WhisperMelTranslator(spec)));
            case "bisenet" -> Optional.of(load(manifest, spec, device, FaceParsingInput.class, FaceParsing.class,
                    new FaceParserTranslator(spec)));
            default -> {
                log.debug("ignoring unknown graph [graph={}, file={}]", spec.name(), spec.file());
                yield Optional.empty();
            }
        };
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <I, O> Graph<I, O> load(ModelManifest manifest, GraphSpec spec, Device device,
                                           Class<I> in, Class out, Translator<I, ?> translator) {
        Path file = manifest.fileOf(spec);
        Criteria<I, O> criteria = Criteria.builder()
                .setTypes(in, (Class<O>) out)
                .optModelPath(file)
                .optEngine(ENGINE)
                .optDevice(device)
                .optTranslator((Translator<I, O>) translator)
                // graphs traced on another device load onto ours
                .optOption("mapLocation", "true")
                .build();
        try {
            ZooModel<I, O> model = criteria.loadModel();
            log.debug("loaded graph [graph={}, file={}, precision={}, batch={}, dynamicBatch={}]", spec.name(),
                    file, spec.precision(), spec.batch(), spec.dynamicBatch());
            return new Graph<>(spec, model);
        } catch (ModelNotFoundException | MalformedModelException | IOException | RuntimeException e) {
            throw new ModelFileException(file, "model file " + file + " (graph '" + spec.name()
                    + "') could not be loaded: " + e.getMessage(), e);
        }
    }

    public ModelManifest manifest() {
        return manifest;
    }

    /**
     * The DWPose ONNX file ({@code dw-ll_ucoco_384.onnx}), checked against the manifest's sha256
     * when these models were loaded.
     *
     * @throws ModelFileException when the manifest lists no DWPose model (an export from before the
     *     model setup command, or a half-present set): names the manifest and the command
     */
    public Path landmarkModel() {
        return landmarkModel(manifest);
    }

    /**
     * The DWPose ONNX file of an export directory, verified (presence and sha256), without loading
     * any graph: for tools that only prepare avatars.
     */
    public static Path landmarkModel(Path dir) {
        ModelManifest m = ModelManifest.read(dir);
        Path file = landmarkModel(m);
        verify(m, m.onnx().get(ModelManifest.DWPOSE));
        return file;
    }

    private static Path landmarkModel(ModelManifest m) {
        GraphSpec spec = m.onnx().get(ModelManifest.DWPOSE);
        Path manifestFile = m.dir().resolve(ModelManifest.FILE_NAME);
        if (spec == null) {
            throw new ModelFileException(manifestFile, "model manifest " + manifestFile + " lists no DWPose model "
                    + "(\"onnx\": {\"dwpose\": ...}): run 'python3 -m musetalk_models.setup --out " + m.dir() + "'");
        }
        return m.fileOf(spec);
    }

    /** {@code gpu(0)} or {@code cpu()}. */
    public Device device() {
        return device;
    }

    public boolean has(String graph) {
        return graphs.containsKey(graph);
    }

    public Graph<UNetInput, LatentBatch> unet() {
        return graph("unet");
    }

    public Graph<LatentBatch, List<BgrImage>> vaeDecoder() {
        return graph("vae_decode");
    }

    public Graph<VaeEncodeInput, LatentBatch> vaeEncoder() {
        return graph("vae_encode");
    }

    public Graph<PcmAudio, WhisperFeatures> whisper() {
        return graph("whisper");
    }

    public Graph<PcmAudio, MelSpectrogram> whisperMel() {
        return graph("whisper_mel");
    }

    public Graph<FaceParsingInput, FaceParsing> faceParser() {
        return graph("bisenet");
    }

    @SuppressWarnings("unchecked")
    private <I, O> Graph<I, O> graph(String name) {
        Graph<?, ?> g = graphs.get(name);
        if (g == null) {
            throw new InferenceException(InferenceException.Kind.MODEL_FILES, "graph '" + name + "' is not in "
                    + manifest.dir().resolve(ModelManifest.FILE_NAME) + " (has " + graphs.keySet() + ")");
        }
        return (Graph<I, O>) g;
    }

    /** Whether {@link #close} has freed the graphs. */
    public boolean isClosed() {
        return closed;
    }

    /** Frees every graph (once). */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            graphs.values().forEach(Graph::close);
        }
    }
}
