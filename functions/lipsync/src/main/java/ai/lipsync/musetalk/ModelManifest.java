package ai.lipsync.musetalk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code manifest.json} written by {@code python3 -m musetalk_models.export}: one entry per
 * TorchScript graph with its file, checksum, precision, batch and tensor specs.
 *
 * @param dir the directory holding the manifest and the graph files
 * @param graphs graph name ({@code unet}, {@code vae_decode}, ...) to its spec, in file order
 * @param onnx ONNX Runtime models copied beside the graphs (the {@code "onnx"} object: {@code dwpose})
 */
public record ModelManifest(Path dir, Map<String, GraphSpec> graphs, Map<String, GraphSpec> onnx) {

    public static final String FILE_NAME = "manifest.json";
    /** The DWPose whole-body model ({@code dw-ll_ucoco_384.onnx}) under {@code "onnx"}. */
    public static final String DWPOSE = "dwpose";

    /** One input or output tensor: name, shape (-1 = dynamic) and dtype name ({@code float32}, {@code uint8}...). */
    public record TensorSpec(String name, List<Long> shape, String dtype) {

        public String shapeText() {
            return ModelManifest.shapeText(shape.stream().mapToLong(Long::longValue).toArray());
        }
    }

    /**
     * One graph.
     *
     * @param name graph name
     * @param file file name relative to the manifest's directory
     * @param sha256 hex digest of the graph file, or empty when the manifest carries none
     * @param precision {@code fp32} or {@code fp16}
     * @param batch the traced batch size
     * @param dynamicBatch whether the graph accepts other batch sizes than {@code batch}
     */
    public record GraphSpec(String name, String file, String sha256, String precision, int batch,
                            boolean dynamicBatch, List<TensorSpec> inputs, List<TensorSpec> outputs) {

        public GraphSpec {
            inputs = List.copyOf(inputs);
            outputs = List.copyOf(outputs);
        }

        public Optional<TensorSpec> input(String inputName) {
            return inputs.stream().filter(t -> t.name().equals(inputName)).findFirst();
        }
    }

    public ModelManifest {
        graphs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(graphs)); // keeps the file's order
        onnx = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(onnx));
    }

    /** A manifest without ONNX models. */
    public ModelManifest(Path dir, Map<String, GraphSpec> graphs) {
        this(dir, graphs, Map.of());
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads {@code dir/manifest.json}; a missing or unreadable manifest is a {@link ModelFileException}. */
    public static ModelManifest read(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new ModelFileException(file, "model manifest " + file + " is missing: export the graphs with "
                    + "'python3 -m musetalk_models.export --out " + dir + "'", e);
        } catch (IOException e) {
            throw new ModelFileException(file, "model manifest " + file + " is unreadable: " + e.getMessage(), e);
        }
        JsonNode graphsNode = root.path("graphs");
        Map<String, GraphSpec> graphs = new LinkedHashMap<>();
        String defaultPrecision = root.path("precision").asText("fp32");
        int defaultBatch = root.path("batch").asInt(1);
        if (graphsNode.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = graphsNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                graphs.put(e.getKey(), graph(e.getKey(), e.getValue(), defaultPrecision, defaultBatch));
            }
        } else if (graphsNode.isArray()) {
            for (JsonNode g : graphsNode) {
                String name = g.path("name").asText();
                graphs.put(name, graph(name, g, defaultPrecision, defaultBatch));
            }
        } else {
            throw new ModelFileException(file, "model manifest " + file + " has no 'graphs' entry");
        }
        Map<String, GraphSpec> onnx = new LinkedHashMap<>();
        JsonNode onnxNode = root.path("onnx");
        if (onnxNode.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = onnxNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                onnx.put(e.getKey(), graph(e.getKey(), e.getValue(), "fp32", 1));
            }
        }
        return new ModelManifest(dir, graphs, onnx);
    }

    private static GraphSpec graph(String name, JsonNode g, String defaultPrecision, int defaultBatch) {
        String fileName = g.path("file").asText(name + ".pt");
        return new GraphSpec(name, fileName, sha256(g, fileName),
                g.path("precision").asText(defaultPrecision),
                g.path("batch").asInt(defaultBatch),
                g.path("dynamic_batch").asBoolean(g.path("dynamic").asBoolean(false)),
                tensors(g.path("inputs")), tensors(g.path("outputs")));
    }

    /** Accepts {@code "sha256": "hex"}, {@code "sha256": {"graph": "hex", ...}} or {@code "graph_sha256"}. */
    private static String sha256(JsonNode g, String fileName) {
        JsonNode s = g.path("sha256");
        if (s.isTextual()) {
            return s.asText();
        }
        if (s.isObject()) {
            for (String key : new String[] {"graph", "file", fileName}) {
                if (s.path(key).isTextual()) {
                    return s.path(key).asText();
                }
            }
        }
        return g.path("graph_sha256").asText(g.path("file_sha256").asText(""));
    }

    private static List<TensorSpec> tensors(JsonNode node) {
        List<TensorSpec> out = new ArrayList<>();
        if (node.isArray()) {
            for (JsonNode t : node) {
                out.add(tensor(t.path("name").asText(), t));
            }
        } else if (node.isObject()) {
            node.fields().forEachRemaining(e -> out.add(tensor(e.getKey(), e.getValue())));
        }
        return out;
    }

    private static TensorSpec tensor(String name, JsonNode t) {
        List<Long> shape = new ArrayList<>();
        for (JsonNode d : t.path("shape")) {
            shape.add(d.isNumber() ? d.asLong() : -1L);
        }
        return new TensorSpec(name, shape, t.path("dtype").asText("float32"));
    }

    public Path fileOf(GraphSpec spec) {
        return dir.resolve(spec.file());
    }

    /** The precision all graphs share ({@code fp16} if any graph is fp16). */
    public String precision() {
        return graphs.values().stream().anyMatch(g -> g.precision().equals("fp16")) ? "fp16" : "fp32";
    }

    static String shapeText(long[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(shape[i] < 0 ? "B" : Long.toString(shape[i]));
        }
        return sb.append(')').toString();
    }
}
