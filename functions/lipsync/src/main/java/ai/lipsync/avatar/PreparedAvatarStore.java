package ai.lipsync.avatar;

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
 * loads it without running any model; any other prepares afresh and replaces it. One preparation
 * per avatar at a time: a second caller for the same avatar waits and then gets its result.
 */
public final class PreparedAvatarStore implements PreparedAvatars, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PreparedAvatarStore.class);
    /** Prepared avatars kept in memory by default (the default avatar, a few uploaded ones). */
    public static final int DEFAULT_IN_MEMORY = 4;

    private final AvatarCatalog catalog;
    private final AvatarSettings settings;
    private final VideoAvatarLoader loader;
    private final ProceduralAvatar drawn;
    private final Supplier<AvatarPreparer> preparer;
    private final Map<String, String> modelChecksums;
    private final PreparedAvatarPackage packages;
    private final ConcurrentMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    /** The most recently used avatars at their latest fps, at most {@link #inMemory}: frames are large. */
    private final Map<String, Loaded> loaded;
    private final int inMemory;
    private final ConcurrentMap<Path, Hashed> hashes = new ConcurrentHashMap<>();
    private final ConcurrentMap<Integer, String> drawnHashes = new ConcurrentHashMap<>();
    private AvatarPreparer made;

    private record Loaded(String key, PreparedAvatar avatar) {
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
        this(catalog, settings, loader, drawn, preparer, modelChecksums, packages, DEFAULT_IN_MEMORY);
    }

    /**
     * @param inMemory how many prepared avatars stay in memory (least recently used leave first and
     *     load from their packages again); each upload adds an avatar, so without a bound the frames
     *     of every avatar ever prepared would stay on the heap
     */
    public PreparedAvatarStore(AvatarCatalog catalog, AvatarSettings settings, VideoAvatarLoader loader,
                               ProceduralAvatar drawn, Supplier<AvatarPreparer> preparer,
                               Map<String, String> modelChecksums, PreparedAvatarPackage packages, int inMemory) {
        if (inMemory < 1) {
            throw new IllegalArgumentException("at least one prepared avatar stays in memory, got " + inMemory);
        }
        this.inMemory = inMemory;
        this.loaded = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Loaded> eldest) {
                return size() > PreparedAvatarStore.this.inMemory;
            }
        });
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
        ReentrantLock lock = locks.computeIfAbsent(id, k -> new ReentrantLock());
        lock.lock();
        try {
            return getLocked(id, fps, listener);
        } finally {
            lock.unlock();
        }
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
        Loaded memo = loaded.get(id + "@" + fps);
        if (memo != null && memo.key().equals(key)) {
            return java.util.OptionalInt.of(memo.avatar().avatar().frames().size());
        }
        return packages.info(id).filter(i -> key.equals(i.cacheKey()) && Files.isRegularFile(packages.latentsFile(key)))
                .map(i -> java.util.OptionalInt.of(i.frames())).orElse(java.util.OptionalInt.empty());
    }

    private PreparedAvatar getLocked(String id, int fps, PreparationProgress.Listener listener) {
        Source source = source(id, fps);
        PrepCacheKey key = key(source, fps);
        String k = key.value();
        Loaded memo = loaded.get(id + "@" + fps);
        if (memo != null && memo.key().equals(k)) {
            listener.progress(new PreparationProgress("done", memo.avatar().avatar().frames().size(),
                    memo.avatar().avatar().frames().size()));
            return memo.avatar();
        }
        Optional<PreparedAvatar> cached = packages.read(id, key);
        PreparedAvatar avatar;
        if (cached.isPresent()) {
            avatar = cached.get();
            log.info("[avatar={}] prepared package loaded [fps={}, frames={}, key={}]", id, fps,
                    avatar.avatar().frames().size(), k.substring(0, 12));
        } else {
            listener.progress(new PreparationProgress("decode", 0, 1));
            List<BgrImage> frames = source.frames().get();
            listener.progress(new PreparationProgress("decode", 1, 1));
            log.info("[avatar={}] preparing for MuseTalk [fps={}, frames={}, key={}]", id, fps, frames.size(),
                    k.substring(0, 12));
            avatar = preparer().prepare(id, fps, frames, source.knownFace(), listener);
            listener.progress(new PreparationProgress("save", 0, 1));
            packages.write(avatar, key, source.name());
        }
        // Only the latest fps of an avatar stays in memory, and only the most recently used avatars.
        synchronized (loaded) {
            loaded.keySet().removeIf(name -> name.startsWith(id + "@"));
            loaded.put(id + "@" + fps, new Loaded(k, avatar));
        }
        int n = avatar.avatar().frames().size();
        listener.progress(new PreparationProgress("done", n, n));
        return avatar;
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
