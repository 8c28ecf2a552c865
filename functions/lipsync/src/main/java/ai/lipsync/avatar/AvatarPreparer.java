package ai.lipsync.avatar;

import ai.lipsync.preparation.FaceBox;
import ai.lipsync.compose.BgrImage;
import ai.lipsync.compose.BgrMats;
import ai.lipsync.compose.GrayImage;
import ai.lipsync.compose.PixelBox;
import ai.lipsync.musetalk.LatentBatch;
import ai.lipsync.musetalk.VaeEncodeInput;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Prepares an avatar for MuseTalk 1.5 from its frames (musetalk-reference.md section 5): per-frame
 * v1.5 face boxes, the 'jaw' blend masks from BiSeNet parsing of each square crop box, and the VAE
 * latents (lower-half-masked crop || the crop itself, [N,8,32,32]) of the 256x256 Lanczos crops.
 * The deterministic posterior mean is used where the reference samples, so a preparation repeats
 * exactly. Runs one preparation at a time: the landmarker is not thread-safe and the models use
 * every core anyway.
 */
public final class AvatarPreparer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AvatarPreparer.class);
    public static final int CROP = 256;

    private final FrameFaceBoxes faceBoxes;
    private final BlendMaskBuilder masks;
    private final PreparationModels models;

    public AvatarPreparer(FrameFaceBoxes faceBoxes, BlendMaskBuilder masks, PreparationModels models) {
        this.faceBoxes = faceBoxes;
        this.masks = masks;
        this.models = models;
    }

    /**
     * @param knownFace the face where it is known beforehand (see {@link FrameFaceBoxes#boxes}), else empty
     * @throws ai.lipsync.session.GenerationException {@code AVATAR_INVALID} when no frame shows a face
     */
    public synchronized PreparedAvatar prepare(String id, int fps, List<BgrImage> frames, Optional<FaceBox> knownFace,
                                               PreparationProgress.Listener listener) {
        long started = System.nanoTime();
        int n = frames.size();
        listener.progress(new PreparationProgress("faces", 0, n));
        List<PixelBox> boxes = faceBoxes.boxes(id, frames, knownFace,
                i -> listener.progress(new PreparationProgress("faces", i + 1, n)));
        List<BlendMask> blendMasks = blendMasks(frames, boxes, listener);
        LatentBatch latents = latents(frames, boxes, listener);
        BgrImage first = frames.get(0);
        Avatar avatar = new Avatar(id, fps, first.width(), first.height(), frames, medianBox(boxes));
        log.info("[avatar={}] prepared {} frames {}x{} at {} fps in {} ms", id, n, first.width(), first.height(), fps,
                (System.nanoTime() - started) / 1_000_000);
        return new PreparedAvatar(avatar, boxes, blendMasks, latents);
    }

    private List<BlendMask> blendMasks(List<BgrImage> frames, List<PixelBox> boxes,
                                       PreparationProgress.Listener listener) {
        int n = frames.size();
        int batch = models.batchSize();
        List<BlendMask> out = new ArrayList<>(n);
        listener.progress(new PreparationProgress("masks", 0, n));
        for (int start = 0; start < n; start += batch) {
            int end = Math.min(n, start + batch);
            List<BgrImage> inputs = new ArrayList<>(end - start);
            for (int i = start; i < end; i++) {
                inputs.add(BlendMaskBuilder.parsingInput(frames.get(i), masks.cropBox(boxes.get(i))));
            }
            List<GrayImage> labels = models.parse(inputs);
            for (int i = start; i < end; i++) {
                out.add(masks.build(labels.get(i - start), boxes.get(i)));
            }
            listener.progress(new PreparationProgress("masks", end, n));
        }
        return out;
    }

    /** Each frame's crop twice (masked, then reference), so frame i's 8 channels are contiguous. */
    private LatentBatch latents(List<BgrImage> frames, List<PixelBox> boxes, PreparationProgress.Listener listener) {
        int n = frames.size();
        int perCall = Math.max(1, models.batchSize() / 2);
        List<LatentBatch> parts = new ArrayList<>();
        listener.progress(new PreparationProgress("latents", 0, n));
        for (int start = 0; start < n; start += perCall) {
            int end = Math.min(n, start + perCall);
            List<BgrImage> crops = new ArrayList<>();
            List<Boolean> masked = new ArrayList<>();
            for (int i = start; i < end; i++) {
                BgrImage crop = crop256(frames.get(i), boxes.get(i));
                crops.add(crop);
                masked.add(true);
                crops.add(crop);
                masked.add(false);
            }
            LatentBatch four = models.encode(new VaeEncodeInput(crops, masked));
            if (four.count() != crops.size() || four.channels() != 4) {
                throw new IllegalStateException("vae_encode returned [" + four.count() + "," + four.channels()
                        + ",...] for " + crops.size() + " crops");
            }
            parts.add(new LatentBatch(end - start, 8, four.height(), four.width(), four.data()));
            listener.progress(new PreparationProgress("latents", end, n));
        }
        return LatentBatch.concat(parts);
    }

    /** {@code cv2.resize(frame[y1:y2, x1:x2], (256, 256), interpolation=cv2.INTER_LANCZOS4)}. */
    public static BgrImage crop256(BgrImage frame, PixelBox box) {
        try (Mat mat = BgrMats.toMat(frame);
             Rect rect = new Rect(box.x1(), box.y1(), box.width(), box.height());
             Mat roi = new Mat(mat, rect);
             Mat out = new Mat();
             Size size = new Size(CROP, CROP)) {
            opencv_imgproc.resize(roi, out, size, 0, 0, opencv_imgproc.INTER_LANCZOS4);
            return BgrMats.toBgr(out);
        }
    }

    /** The per-coordinate median box: the one box {@link Avatar} keeps for the whole clip. */
    static FaceBox medianBox(List<PixelBox> boxes) {
        int[] x1 = boxes.stream().mapToInt(PixelBox::x1).sorted().toArray();
        int[] y1 = boxes.stream().mapToInt(PixelBox::y1).sorted().toArray();
        int[] x2 = boxes.stream().mapToInt(PixelBox::x2).sorted().toArray();
        int[] y2 = boxes.stream().mapToInt(PixelBox::y2).sorted().toArray();
        int m = boxes.size() / 2;
        return new FaceBox(x1[m], y1[m], Math.max(1, x2[m] - x1[m]), Math.max(1, y2[m] - y1[m]));
    }

    /** Frees the landmarker and the face detector. */
    @Override
    public synchronized void close() {
        faceBoxes.close();
    }
}
