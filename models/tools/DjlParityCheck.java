import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Loads every graph of an export directory with DJL's PyTorch engine (libtorch 2.7.1, as the service does),
 * feeds it the inputs of its parity file and compares the output with the eager PyTorch result stored there.
 * Run by tools/djl_parity_check.sh; exits 1 when a graph fails to load or differs.
 */
public final class DjlParityCheck {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        JsonObject manifest = JsonParser.parseString(Files.readString(dir.resolve("manifest.json"))).getAsJsonObject();
        int failures = 0;
        for (Map.Entry<String, JsonElement> e : manifest.getAsJsonObject("graphs").entrySet()) {
            String name = e.getKey();
            JsonObject graph = e.getValue().getAsJsonObject();
            Criteria<NDList, NDList> criteria = Criteria.builder()
                    .setTypes(NDList.class, NDList.class)
                    .optModelPath(dir.resolve(graph.get("file").getAsString()))
                    .optEngine("PyTorch")
                    .optTranslator(new NoopTranslator())
                    .build();
            try (ZooModel<NDList, NDList> model = criteria.loadModel();
                 Predictor<NDList, NDList> predictor = model.newPredictor();
                 NDManager manager = NDManager.newBaseManager();
                 InputStream in = Files.newInputStream(dir.resolve(graph.get("parity_file").getAsString()))) {
                NDList parity = NDList.decode(manager, in);
                Map<String, NDArray> byName = new HashMap<>();
                for (NDArray a : parity) {
                    byName.put(a.getName(), a);
                }
                NDList inputs = new NDList();
                for (JsonElement i : graph.getAsJsonArray("inputs")) {
                    inputs.add(byName.get(i.getAsJsonObject().get("name").getAsString()));
                }
                String outName = graph.getAsJsonArray("outputs").get(0).getAsJsonObject().get("name").getAsString();
                NDArray expected = byName.get("expected_" + outName);
                NDArray out = predictor.predict(inputs).singletonOrThrow();
                double diff = out.toType(DataType.FLOAT64, false).sub(expected.toType(DataType.FLOAT64, false))
                        .abs().max().getDouble();
                boolean sameType = out.getDataType() == expected.getDataType() && out.getShape().equals(expected.getShape());
                double tol = out.getDataType() == DataType.UINT8 ? 1.0 : 1e-4 * Math.max(1.0,
                        expected.toType(DataType.FLOAT64, false).abs().max().getDouble());
                boolean ok = sameType && diff <= tol;
                System.out.printf("%-12s %-8s %s %s max abs diff %.3g%n", name, ok ? "OK" : "FAIL",
                        out.getDataType(), out.getShape(), diff);
                if (!ok) {
                    failures++;
                }
            } catch (Exception ex) {
                System.out.printf("%-12s FAIL     %s%n", name, ex);
                failures++;
            }
        }
        System.exit(failures == 0 ? 0 : 1);
    }
}
