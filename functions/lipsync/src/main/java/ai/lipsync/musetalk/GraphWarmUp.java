package ai.lipsync.musetalk;

import ai.lipsync.audio.AudioDecoder;
import ai.lipsync.audio.PcmAudio;
import ai.lipsync.compose.BgrImage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/**
 * One batch of blank input through every loaded graph at the batch sessions use, at startup:
 * TorchScript's profiling executor spends its first runs of a graph profiling and optimising it,
 * which would otherwise be paid by the first user's session; and a batch that does not fit (libtorch
 * out of memory) shows up here, at the start, instead of in every session.
 */
public final class GraphWarmUp {
    private static final Logger log = LoggerFactory.getLogger(GraphWarmUp.class);

    /** One graph's warm-up call. */
    public record Run(String graph, int batch, long millis) {
    }

    private GraphWarmUp() {
    }

    /**
     * @param batch frames per UNet / VAE decode call, as the engine will run them
     * @return the runs in order: whisper (and whisper_mel), unet, vae_decode, then the preparation
     *     graphs (vae_encode, bisenet) where loaded
     * @throws InferenceException from the first graph that fails, naming it
     */
    public static List<Run> run(MuseTalkModels models, int batch) {
        List<Run> runs = new ArrayList<>();
        long start = System.nanoTime();
        PcmAudio second = new PcmAudio(new float[AudioDecoder.SAMPLE_RATE], AudioDecoder.SAMPLE_RATE);
        if (models.has("whisper")) {
            runs.add(time("whisper", 1, () -> models.whisper().predict(second)));
        }
        if (models.has("whisper_mel")) {
            runs.add(time("whisper_mel", 1, () -> models.whisperMel().predict(second)));
        }
        if (models.has("unet")) {
            runs.add(time("unet", batch, () -> models.unet().predict(new UNetInput(
                    new LatentBatch(batch, 8, 32, 32, new float[batch * 8 * 32 * 32]),
                    new AudioPrompts(batch, new float[batch * AudioPrompts.FRAME_SIZE])))));
        }
        if (models.has("vae_decode")) {
            runs.add(time("vae_decode", batch, () -> models.vaeDecoder().predict(
                    new LatentBatch(batch, 4, 32, 32, new float[batch * 4 * 32 * 32]))));
        }
        if (models.has("vae_encode")) {
            int n = Math.max(1, models.vaeEncoder().spec().batch());
            runs.add(time("vae_encode", n, () -> models.vaeEncoder().predict(new VaeEncodeInput(
                    Collections.nCopies(n, BgrImage.blank(256, 256)), Collections.nCopies(n, true)))));
        }
        if (models.has("bisenet")) {
            int n = Math.max(1, models.faceParser().spec().batch());
            runs.add(time("bisenet", n, () -> models.faceParser().predict(FaceParsingInput.fromBgr(
                    Collections.nCopies(n, BgrImage.blank(FaceParsingInput.SIZE, FaceParsingInput.SIZE))))));
        }
        log.info("MuseTalk graphs warmed up in {} ms (one batch each, so the first session does not pay TorchScript's"
                + " profiling runs) {}", (System.nanoTime() - start) / 1_000_000, runs);
        return List.copyOf(runs);
    }

    private static Run time(String graph, int batch, Supplier<?> call) {
        long t = System.nanoTime();
        call.get();
        return new Run(graph, batch, (System.nanoTime() - t) / 1_000_000);
    }
}
