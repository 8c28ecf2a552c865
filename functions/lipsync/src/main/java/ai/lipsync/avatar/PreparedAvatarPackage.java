package ai.lipsync.avatar;

import ai.lipsync.compose.BgrImage;
import ai.lipsync.compose.BgrMats;
import ai.lipsync.compose.GrayImage;
import ai.lipsync.compose.PixelBox;
import ai.lipsync.musetalk.LatentBatch;
import ai.lipsync.musetalk.SafeTensors;
import ai.lipsync.storage.AtomicFiles;
import ai.lipsync.storage.DirectoryTrees;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A prepared avatar on disk, portable and pickle-free (musetalk-reference.md section 10.4):
 * {@code avatar/{id}/avatar.json} (source hash, fps, size, per-frame face and crop boxes, model
 * checksums, cache key), {@code frames/%08d.png} (BGR), {@code masks/%08d.png} (gray, crop-box
 * sized) and the latents as F32 [N,8,32,32] in {@code prep_cache/{key}.safetensors}. The
 * directory is written beside its final place and moved in whole, so a reader sees the old
 * package or the new one.
 */
public final class PreparedAvatarPackage {
    private static final Logger log = LoggerFactory.getLogger(PreparedAvatarPackage.class);
    static final String INFO = "avatar.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path avatarDir;
    private final Path cacheDir;

    /**
     * @param avatarDir {@code results/webapp/avatar}
     * @param cacheDir {@code results/webapp/prep_cache}
     */
    public PreparedAvatarPackage(Path avatarDir, Path cacheDir) {
        this.avatarDir = avatarDir;
        this.cacheDir = cacheDir;
    }

    /** {@code avatar.json}: everything but pixels and latents. */
    public record Info(int format, String avatarId, String cacheKey, String sourceName, String sourceSha256, int fps,
                       double maxSeconds, int maxLongSide, int width, int height, int frames,
                       Map<String, String> modelChecksums, List<int[]> faceBoxes, List<int[]> cropBoxes,
                       String latents) {
    }

    public Path dir(String id) {
        return avatarDir.resolve(id);
    }

    public Path latentsFile(String key) {
        return cacheDir.resolve(key + ".safetensors");
    }

    /** The package's info, when there is a readable one. */
    public Optional<Info> info(String id) {
        Path file = dir(id).resolve(INFO);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), Info.class));
        } catch (IOException e) {
            log.warn("[avatar={}] ignoring unreadable {}: {}", id, file, e.getMessage());
            return Optional.empty();
        }
    }

    /** Loads the package of {@code id} when it was made under {@code key} and is whole. */
    public Optional<PreparedAvatar> read(String id, PrepCacheKey key) {
        String k = key.value();
        Optional<Info> found = info(id).filter(i -> i.format() == PrepCacheKey.FORMAT && k.equals(i.cacheKey()));
        if (found.isEmpty() || !Files.isRegularFile(latentsFile(k))) {
            return Optional.empty();
        }
        Info info = found.get();
        try {
            List<BgrImage> frames = new ArrayList<>(info.frames());
            List<PixelBox> boxes = new ArrayList<>(info.frames());
            List<BlendMask> masks = new ArrayList<>(info.frames());
            for (int i = 0; i < info.frames(); i++) {
                frames.add(readBgr(dir(id).resolve(framePath(i))));
                boxes.add(box(info.faceBoxes().get(i)));
                masks.add(new BlendMask(readGray(dir(id).resolve(maskPath(i))), box(info.cropBoxes().get(i))));
            }
            SafeTensors.Tensor t = SafeTensors.read(latentsFile(k)).get("latents");
            int[] s = t.intShape();
            LatentBatch latents = new LatentBatch(s[0], s[1], s[2], s[3], t.floats());
            Avatar avatar = new Avatar(id, info.fps(), info.width(), info.height(), frames,
                    AvatarPreparer.medianBox(boxes));
            return Optional.of(new PreparedAvatar(avatar, boxes, masks, latents));
        } catch (IOException | RuntimeException e) {
            // A damaged package is prepared again rather than failing every session.
            log.warn("[avatar={}] ignoring damaged package {}: {}", id, dir(id), e.toString());
            return Optional.empty();
        }
    }

    /** Writes the package of {@code prepared} under {@code key}, replacing any older one. */
    public void write(PreparedAvatar prepared, PrepCacheKey key, String sourceName) {
        String id = prepared.id();
        String k = key.value();
        Avatar a = prepared.avatar();
        Path staging = avatarDir.resolve("." + id + "-" + UUID.randomUUID() + ".tmp");
        try {
            LatentBatch l = prepared.latents();
            AtomicFiles.write(latentsFile(k), SafeTensors.encode(List.of(new SafeTensors.FloatTensor("latents",
                    new long[] {l.count(), l.channels(), l.height(), l.width()}, l.data())),
                    Map.of("avatar_id", id, "cache_key", k, "layout", "[N,8,32,32]: masked crop || reference crop")));
            Files.createDirectories(staging.resolve("frames"));
            Files.createDirectories(staging.resolve("masks"));
            List<int[]> faceBoxes = new ArrayList<>();
            List<int[]> cropBoxes = new ArrayList<>();
            for (int i = 0; i < a.frames().size(); i++) {
                Files.write(staging.resolve(framePath(i)), png(a.frames().get(i)));
                BlendMask m = prepared.masks().get(i);
                Files.write(staging.resolve(maskPath(i)), png(m.mask()));
                faceBoxes.add(corners(prepared.faceBoxes().get(i)));
                cropBoxes.add(corners(m.cropBox()));
            }
            Info info = new Info(PrepCacheKey.FORMAT, id, k, sourceName, key.sourceSha256(), a.fps(), key.maxSeconds(),
                    key.maxLongSide(), a.width(), a.height(), a.frames().size(), key.modelChecksums(), faceBoxes,
                    cropBoxes, cacheDir.getFileName() + "/" + latentsFile(k).getFileName());
            Files.write(staging.resolve(INFO), JSON.writeValueAsBytes(info));
            replace(staging, dir(id));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the prepared avatar " + id + " to " + dir(id), e);
        } finally {
            deleteQuietly(staging);
        }
    }

    private static void replace(Path staging, Path target) throws IOException {
        Path old = target.resolveSibling("." + target.getFileName() + "-" + UUID.randomUUID() + ".old");
        if (Files.isDirectory(target)) {
            // Other notes in the avatar's folder (the weights-free loader's face-box.json) stay.
            try (var files = Files.list(target)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    if (!Files.exists(staging.resolve(f.getFileName().toString()))) {
                        Files.copy(f, staging.resolve(f.getFileName().toString()));
                    }
                }
            }
        }
        if (Files.exists(target)) {
            Files.move(target, old);
        }
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(staging, target);
        }
        deleteQuietly(old);
    }

    private static void deleteQuietly(Path dir) {
        try {
            if (Files.exists(dir)) {
                DirectoryTrees.delete(dir);
            }
        } catch (IOException | RuntimeException e) {
            log.warn("could not remove {}: {}", dir, e.getMessage());
        }
    }

    static String framePath(int i) {
        return String.format("frames/%08d.png", i);
    }

    static String maskPath(int i) {
        return String.format("masks/%08d.png", i);
    }

    private static int[] corners(PixelBox b) {
        return new int[] {b.x1(), b.y1(), b.x2(), b.y2()};
    }

    private static PixelBox box(int[] c) {
        return new PixelBox(c[0], c[1], c[2], c[3]);
    }

    private static byte[] png(BgrImage image) {
        try (Mat m = BgrMats.toMat(image)) {
            return encode(m);
        }
    }

    private static byte[] png(GrayImage image) {
        try (Mat m = BgrMats.toMat(image)) {
            return encode(m);
        }
    }

    private static byte[] encode(Mat m) {
        try (BytePointer buf = new BytePointer()) {
            if (!opencv_imgcodecs.imencode(".png", m, buf)) {
                throw new IllegalStateException("OpenCV could not encode a PNG");
            }
            byte[] out = new byte[(int) buf.limit()];
            buf.get(out);
            return out;
        }
    }

    private static BgrImage readBgr(Path file) throws IOException {
        try (Mat m = decode(file, opencv_imgcodecs.IMREAD_COLOR)) {
            return BgrMats.toBgr(m);
        }
    }

    private static GrayImage readGray(Path file) throws IOException {
        try (Mat m = decode(file, opencv_imgcodecs.IMREAD_GRAYSCALE)) {
            return BgrMats.toGray(m);
        }
    }

    private static Mat decode(Path file, int flags) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try (Mat raw = new Mat(1, bytes.length, org.bytedeco.opencv.global.opencv_core.CV_8UC1)) {
            raw.data().put(bytes);
            Mat m = opencv_imgcodecs.imdecode(raw, flags);
            if (m == null || m.empty()) {
                throw new IOException(file + " is not a readable PNG");
            }
            return m;
        }
    }
}
