package ai.lipsync.avatar;

import ai.lipsync.compose.BgrImage;
import ai.lipsync.compose.GrayImage;
import ai.lipsync.musetalk.FaceParsingInput;
import ai.lipsync.musetalk.LatentBatch;
import ai.lipsync.musetalk.ModelManifest;
import ai.lipsync.musetalk.MuseTalkModels;
import ai.lipsync.musetalk.VaeEncodeInput;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link PreparationModels} on the exported graphs: {@code bisenet} and {@code vae_encode} from
 * {@link MuseTalkModels}; the checksums are the manifest's sha256 of those graphs and of the DWPose
 * file it lists (the landmarks), plus any extra model the caller names.
 */
public final class MuseTalkPreparationModels implements PreparationModels {
    private final MuseTalkModels models;
    private final Map<String, String> checksums;

    /** @param extraChecksums further model files the preparation uses, name to sha256 */
    public MuseTalkPreparationModels(MuseTalkModels models, Map<String, String> extraChecksums) {
        this.models = models;
        Map<String, String> sums = new TreeMap<>(extraChecksums);
        ModelManifest manifest = models.manifest();
        for (String graph : List.of("bisenet", "vae_encode")) {
            ModelManifest.GraphSpec spec = manifest.graphs().get(graph);
            if (spec == null) {
                throw new IllegalArgumentException("avatar preparation needs the graph '" + graph + "', which "
                        + manifest.dir().resolve(ModelManifest.FILE_NAME) + " does not list");
            }
            // Without a manifest checksum the file name and precision are all that identifies it.
            sums.put(graph, spec.sha256().isEmpty() ? spec.file() + ":" + spec.precision() : spec.sha256());
        }
        ModelManifest.GraphSpec dwpose = manifest.onnx().get(ModelManifest.DWPOSE);
        if (dwpose != null) {
            sums.put(ModelManifest.DWPOSE, dwpose.sha256().isEmpty() ? dwpose.file() : dwpose.sha256());
        }
        this.checksums = Map.copyOf(sums);
    }

    @Override
    public List<GrayImage> parse(List<BgrImage> inputs512) {
        return models.faceParser().predict(FaceParsingInput.fromBgr(inputs512)).labels();
    }

    @Override
    public LatentBatch encode(VaeEncodeInput crops) {
        return models.vaeEncoder().predict(crops);
    }

    @Override
    public int batchSize() {
        return Math.max(1, Math.min(models.faceParser().spec().batch(), models.vaeEncoder().spec().batch()));
    }

    @Override
    public Map<String, String> checksums() {
        return checksums;
    }
}
