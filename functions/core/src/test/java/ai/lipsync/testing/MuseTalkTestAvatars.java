package ai.lipsync.testing;

import ai.lipsync.avatar.Avatar;
import ai.lipsync.avatar.BlendMask;
import ai.lipsync.avatar.BlendMaskBuilder;
import ai.lipsync.avatar.FaceBox;
import ai.lipsync.avatar.PreparedAvatar;
import ai.lipsync.avatar.PreparedAvatars;
import ai.lipsync.compose.BgrImage;
import ai.lipsync.compose.BgrMats;
import ai.lipsync.compose.GrayImage;
import ai.lipsync.compose.PixelBox;
import ai.lipsync.musetalk.FaceParsingInput;
import ai.lipsync.musetalk.LatentBatch;
import ai.lipsync.musetalk.MuseTalkModels;
import ai.lipsync.musetalk.VaeEncodeInput;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Prepared avatars for MuseTalk tests, built the reference's way from real graphs (until the
 * avatar-preparation helper's store is wired): the avatar's own face box with the v1.5 +10 px bottom
 * margin, 'jaw' blend masks from the bisenet graph's parsing, latents from the vae_encode graph
 * (lower-half-masked crop || unmasked crop, 256x256 Lanczos crops). Only the first
 * {@code maxFrames} source frames are kept, to keep tests quick.
 *
 * <p>The parser is a parameter: the golden bisenet has random weights, and its parsing of a drawn
 * face has no skin class, so its 'jaw' mask is empty (observed) and nothing would be blended. Tests
 * that need a visible mask use {@link #drawnFaceParser()}: skin over the face's ellipse, what a
 * trained BiSeNet reports, through the same {@code BlendMaskBuilder} post-processing.
 */
public final class MuseTalkTestAvatars implements PreparedAvatars {
    private final MuseTalkModels models;
    private final BiFunction<String, Integer, Avatar> source;
    private final int maxFrames;
    private final Function<BgrImage, GrayImage> parser;
    private final Map<String, PreparedAvatar> cache = new ConcurrentHashMap<>();

    /** Masks from the bisenet graph's parsing. */
    public MuseTalkTestAvatars(MuseTalkModels models, BiFunction<String, Integer, Avatar> source, int maxFrames) {
        this(models, source, maxFrames,
                img -> models.faceParser().predict(FaceParsingInput.fromBgr(List.of(img))).labels().get(0));
    }

    /** @param parser 512x512 parsing input to its CelebAMask-HQ label map */
    public MuseTalkTestAvatars(MuseTalkModels models, BiFunction<String, Integer, Avatar> source, int maxFrames,
            Function<BgrImage, GrayImage> parser) {
        this.parser = parser;
        this.models = models;
        this.source = source;
        this.maxFrames = maxFrames;
    }

    @Override
    public PreparedAvatar get(String id, int fps) {
        return cache.computeIfAbsent(id + "@" + fps, k -> prepare(source.apply(id, fps)));
    }

    public PreparedAvatar prepare(Avatar full) {
        List<BgrImage> frames = full.frames().subList(0, Math.min(maxFrames, full.frames().size()));
        Avatar avatar = new Avatar(full.id(), full.fps(), full.width(), full.height(), frames, full.faceBox());
        PixelBox box = faceBox(avatar.faceBox(), avatar.height());
        BlendMaskBuilder builder = BlendMaskBuilder.defaults();
        List<BlendMask> masks = new ArrayList<>();
        List<BgrImage> crops = new ArrayList<>();
        for (BgrImage frame : frames) {
            masks.add(builder.build(frame, box, parser));
            crops.add(crop256(frame, box));
        }
        LatentBatch masked = models.vaeEncoder().predict(new VaeEncodeInput(crops, Collections.nCopies(crops.size(), true)));
        LatentBatch reference = models.vaeEncoder().predict(new VaeEncodeInput(crops, Collections.nCopies(crops.size(), false)));
        int n = frames.size();
        int half = masked.frameSize();
        float[] data = new float[n * 2 * half];
        for (int i = 0; i < n; i++) {
            System.arraycopy(masked.data(), i * half, data, (2 * i) * half, half);
            System.arraycopy(reference.data(), i * half, data, (2 * i + 1) * half, half);
        }
        return new PreparedAvatar(avatar, Collections.nCopies(n, box), masks, new LatentBatch(n, 8, 32, 32, data));
    }

    /**
     * Labels the face of a parsing input as skin (class 1): an ellipse over the middle two thirds,
     * where the face box sits inside its 1.5x square crop box.
     */
    public static Function<BgrImage, GrayImage> drawnFaceParser() {
        return img -> {
            byte[] labels = new byte[512 * 512];
            for (int y = 0; y < 512; y++) {
                for (int x = 0; x < 512; x++) {
                    double dx = (x - 256) / 165.0;
                    double dy = (y - 256) / 170.0;
                    labels[y * 512 + x] = (byte) (dx * dx + dy * dy <= 1 ? 1 : 0);
                }
            }
            return new GrayImage(512, 512, labels);
        };
    }

    /** The avatar's box as MuseTalk corners, with v1.5's 10 px extra margin at the bottom. */
    public static PixelBox faceBox(FaceBox face, int frameHeight) {
        return new PixelBox(face.x(), face.y(), face.x() + face.width(), Math.min(frameHeight, face.y() + face.height() + 10));
    }

    /** {@code cv2.resize(frame[y1:y2, x1:x2], (256, 256), interpolation=INTER_LANCZOS4)}. */
    static BgrImage crop256(BgrImage frame, PixelBox box) {
        BgrImage crop = BlendMaskBuilder.crop(frame, box);
        try (Mat in = BgrMats.toMat(crop); Mat out = new Mat(); Size size = new Size(256, 256)) {
            opencv_imgproc.resize(in, out, size, 0, 0, opencv_imgproc.INTER_LANCZOS4);
            return BgrMats.toBgr(out);
        }
    }
}
