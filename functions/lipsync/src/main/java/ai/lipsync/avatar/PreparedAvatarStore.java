package ai.lipsync.avatar;

import ai.lipsync.preparation.FaceBox;
import ai.lipsync.compose.BgrImage;
import ai.lipsync.session.ErrorCode;
import ai.lipsync.session.GenerationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The prepared avatars, cached on disk ({@link PreparedAvatarPackage}) and in memory: a request
 * whose cache key (video content hash, fps, frame limits, model checksums) matches the package
 * loads it without running any model; any other prepares afresh and replaces it. In memory: the
 * most recently used avatars ({@link AvatarSettings#cachedAvatars()}, an {@link AvatarCache}), each at
 * its latest fps and content only. One preparation per avatar at a time: a second caller for the same
 * avatar waits and then gets its result.
 */
public final class PreparedAvatarStore implements PreparedAvatars, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PreparedAvatarStore.class);

    private final AvatarCatalog catalog;
    private final AvatarSettings settings;
    private final VideoAvatarLoader loader;
    private final ProceduralAvatar drawn;
    private final Supplier<AvatarPreparer> preparer;
    private final Map<String, String> modelChecksums;
    private final PreparedAvatarPackage packages;
    /** Per avatar: its package folder is read or written by one preparation at a time. */
    private final ConcurrentMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final AvatarCache<Memo, PreparedAvatar> loaded;
    private final ConcurrentMap<Path, Hashed> hashes = new ConcurrentHashMap<>();
    private final ConcurrentMap<Integer, String> drawnHashes = new ConcurrentHashMap<>();
    private AvatarPreparer made;

    /** A prepared avatar in memory: which avatar, at which fps, for which {@link PrepCacheKey}. */
    private record Memo(String id, int fps, String cacheKey) {
    }

    /** A file's content hash, valid while its size and modification time stay the same. */
    private record Hashed(long bytes, long modified, String sha256) {
    }

    /**
     * @param preparer made on the first miss only, so a store whose packages are all current never
     *     loads the landmarker
     * @param modelChecksums name to sha256 of the models the preparation runs
     */
    public PreparedAvatarStore(AvatarCatalog catalog, AvatarSettings settings, VideoAvatarLoader loader,
                               ProceduralAvatar drawn, Supplier<AvatarPreparer> preparer,
                               Map<String, String> modelChecksums, PreparedAvatarPackage packages) {
        this.loaded = new AvatarCache<>(settings.cachedAvatars());
        this.catalog = catalog;
        this.settings = settings;
        this.loader = loader;
        this.drawn = drawn;
        this.preparer = preparer;
        this.modelChecksums = Map.copyOf(modelChecksums);
        this.packages = packages;
    }

    @Override
    public PreparedAvatar get(String id, int fps) {
        return get(id, fps, PreparationProgress.Listener.NONE);
    }

    /** As {@link #get(String, int)}, telling {@code listener} how a preparation goes. */
    public PreparedAvatar get(String id, int fps, PreparationProgress.Listener listener) {
        if (id == null || !catalog.exists(id)) {
            throw new GenerationException(ErrorCode.AVATAR_INVALID, "There is no avatar '" + id + "'; known avatars: "
                    + String.join(", ", catalog.ids()) + ".");
        }
        Source source = source(id, fps);
        PrepCacheKey key = key(source, fps);
        Memo memo = new Memo(id, fps, key.value());
        PreparedAvatar avatar = loaded.get(memo, m -> load(id, fps, source, key, listener));
        // Only the latest fps and content of an avatar stay in memory.
        loaded.removeIf(other -> other.id().equals(id) && !other.equals(memo));
        int n = avatar.avatar().frames().size();
        listener.progress(new PreparationProgress("done", n, n));
        return avatar;
    }

    /** True when {@code id} at {@code fps} would load from its package with no model call. */
    public boolean isPrepared(String id, int fps) {
        return preparedFrames(id, fps).isPresent();
    }

    /** The frame count of {@code id}'s current package at {@code fps}; empty when it needs preparing. */
    public java.util.OptionalInt preparedFrames(String id, int fps) {
        if (id == null || !catalog.exists(id)) {
            return java.util.OptionalInt.empty();
        }
        String key = key(source(id, fps), fps).value();
        Optional<PreparedAvatar> inMemory = loaded.getIfPresent(new Memo(id, fps, key));
        if (inMemory.isPresent()) {
            return java.util.OptionalInt.of(inMemory.get().avatar().frames().size());
        }
        return packages.info(id).filter(i -> key.equals(i.cacheKey()) && Files.isRegularFile(packages.latentsFile(key)))
                .map(i -> java.util.OptionalInt.of(i.frames())).orElse(java.util.OptionalInt.empty());
    }

    /** From the package when it is current, else prepared (and the package replaced). */
    private PreparedAvatar load(String id, int fps, Source source, PrepCacheKey key,
                                PreparationProgress.Listener listener) {
        ReentrantLock lock = locks.computeIfAbsent(id, k -> new ReentrantLock());
        lock.lock();
        try {
            String k = key.value();
            Optional<PreparedAvatar> cached = packages.read(id, key);
            if (cached.isPresent()) {
                PreparedAvatar avatar = cached.get();
                log.info("[avatar={}] prepared package loaded [fps={}, frames={}, key={}]", id, fps,
                        avatar.avatar().frames().size(), k.substring(0, 12));
                return avatar;
            }
            listener.progress(new PreparationProgress("decode", 0, 1));
            List<BgrImage> frames = source.frames().get();
            listener.progress(new PreparationProgress("decode", 1, 1));
            log.info("[avatar={}] preparing for MuseTalk [fps={}, frames={}, key={}]", id, fps, frames.size(),
                    k.substring(0, 12));
            PreparedAvatar avatar = preparer().prepare(id, fps, frames, source.knownFace(), listener);
            listener.progress(new PreparationProgress("save", 0, 1));
            packages.write(avatar, key, source.name());
            return avatar;
        } finally {
            lock.unlock();
        }
    }

    /** One preparer for the store's life: it holds the landmarker and the face detector. */
    private synchronized AvatarPreparer preparer() {
        if (made == null) {
            made = preparer.get();
        }
        return made;
    }

    private PrepCacheKey key(Source source, int fps) {
        return new PrepCacheKey(source.sha256(), fps, settings.maxSeconds(), settings.maxLongSide(),
                source.knownFace().map(FaceBox::toString).orElse(""), modelChecksums);
    }

    /** @param knownFace a configured box, or the drawn avatar's, which the cascade does not see */
    private record Source(String name, String sha256, Supplier<List<BgrImage>> frames, Optional<FaceBox> knownFace) {
    }

    private Source source(String id, int fps) {
        if (ProceduralAvatar.ID.equals(id)) {
            // The drawing is deterministic: its hash per fps is computed once, its frames only on a miss.
            String sha = drawnHashes.computeIfAbsent(fps, f -> {
                java.security.MessageDigest md = PrepCacheKey.digest();
                drawn.render(f).frames().forEach(frame -> md.update(frame.data()));
                return java.util.HexFormat.of().formatHex(md.digest());
            });
            return new Source("procedural:" + id, sha, () -> drawn.render(fps).frames(),
                    Optional.of(drawn.render(1).faceBox()));
        }
        Path video = catalog.videoOf(id).orElseThrow(() -> new GenerationException(ErrorCode.AVATAR_INVALID,
                "The avatar video '" + id + "' disappeared from " + settings.videoDir() + "."));
        return new Source(video.getFileName().toString(), contentHash(video), () -> loader.decodeFrames(video, fps),
                Optional.ofNullable(settings.faceBoxes().get(id)));
    }

    private String contentHash(Path video) {
        try {
            long bytes = Files.size(video);
            long modified = Files.getLastModifiedTime(video).toMillis();
            Hashed h = hashes.get(video);
            if (h == null || h.bytes() != bytes || h.modified() != modified) {
                h = new Hashed(bytes, modified, PrepCacheKey.sha256(video));
                hashes.put(video, h);
            }
            return h.sha256();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new GenerationException(ErrorCode.AVATAR_INVALID, "The avatar video " + video.getFileName()
                    + " cannot be read.", e);
        }
    }

    /** Frees the preparer (landmarker, face detector) if one was made; packages stay on disk. */
    @Override
    public synchronized void close() {
        if (made != null) {
            made.close();
            made = null;
        }
    }
}
