package ai.lipsync.testing;

import ai.lipsync.avatar.Avatar;
import ai.lipsync.avatar.AvatarPreparer;
import ai.lipsync.avatar.BlendMask;
import ai.lipsync.avatar.BlendMaskBuilder;
import ai.lipsync.avatar.FrameFaceBoxes;
import ai.lipsync.avatar.HaarFaceDetector;
import ai.lipsync.avatar.MuseTalkPreparationModels;
import ai.lipsync.avatar.PreparationModels;
import ai.lipsync.avatar.PreparedAvatar;
import ai.lipsync.avatar.PreparedAvatars;
import ai.lipsync.avatar.landmarks.FaceLandmarker;
import ai.lipsync.avatar.landmarks.FaceLandmarks;
import ai.lipsync.compose.BgrImage;
import ai.lipsync.compose.GrayImage;
import ai.lipsync.musetalk.FaceParsingInput;
import ai.lipsync.musetalk.LatentBatch;
import ai.lipsync.musetalk.MuseTalkModels;
import ai.lipsync.musetalk.VaeEncodeInput;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Prepared avatars for MuseTalk tests, made by the production {@link AvatarPreparer} from real
 * graphs without DWPose or the package store: the avatar's own face box with the v1.5 +10 px bottom
 * margin, 'jaw' blend masks from the parsing, latents from the vae_encode graph. Only the first
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

    /**
     * The production preparation ({@link AvatarPreparer}) on the first {@code maxFrames} frames,
     * with the avatar's own face box standing in for the detector and no landmarks, so the v1.5
     * rule falls back to that box (+10 px at the bottom) on every frame.
     */
    public PreparedAvatar prepare(Avatar full) {
        List<BgrImage> frames = full.frames().subList(0, Math.min(maxFrames, full.frames().size()));
        try (AvatarPreparer preparer = new AvatarPreparer(new FrameFaceBoxes(new HaarFaceDetector(), new NoLandmarks()),
                BlendMaskBuilder.defaults(), new ParserModels(new MuseTalkPreparationModels(models, Map.of()), parser))) {
            return preparer.prepare(full.id(), full.fps(), frames, Optional.of(full.faceBox()), p -> {
            });
        }
    }

    /** A landmarker that finds nothing usable (a degenerate point set): the detector's box stands. */
    private static final class NoLandmarks implements FaceLandmarker {
        @Override
        public FaceLandmarks detect(BgrImage frame) {
            return new FaceLandmarks(new float[FaceLandmarks.COUNT], new float[FaceLandmarks.COUNT]);
        }

        @Override
        public void close() {
        }
    }

    /** The exported graphs' preparation models with the test's parser in place of the bisenet graph. */
    private record ParserModels(PreparationModels exported, Function<BgrImage, GrayImage> parser)
            implements PreparationModels {
        @Override
        public List<GrayImage> parse(List<BgrImage> inputs512) {
            return inputs512.stream().map(parser).toList();
        }

        @Override
        public LatentBatch encode(VaeEncodeInput crops) {
            return exported.encode(crops);
        }

        @Override
        public int batchSize() {
            return exported.batchSize();
        }

        @Override
        public Map<String, String> checksums() {
            return exported.checksums();
        }
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

    /** The mask's value (0-255) at frame pixel (x, y); 0 outside its crop box. */
    public static int maskAt(BlendMask mask, int x, int y) {
        int mx = x - mask.cropBox().x1();
        int my = y - mask.cropBox().y1();
        if (mx < 0 || my < 0 || mx >= mask.mask().width() || my >= mask.mask().height()) {
            return 0;
        }
        return mask.mask().data()[my * mask.mask().width() + mx] & 0xFF;
    }
}
