package ai.lipsync.avatar;

import ai.lipsync.session.AvatarIds;
import ai.lipsync.session.ErrorCode;
import ai.lipsync.session.GenerationException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The avatars a request may name: {@code default} (drawn, always there) and every video in the
 * video directory, by file name without extension. Loaded avatars are kept in memory (the most
 * recently used, {@link AvatarSettings#cachedAvatars()} of them), so only the first generation with
 * an avatar pays for decoding and face detection.
 */
public final class AvatarCatalog {
    private static final Set<String> VIDEO_EXTENSIONS = Set.of("mp4", "mov", "mkv", "webm");
    private final AvatarSettings settings;
    private final ProceduralAvatar defaultAvatar;
    private final VideoAvatarLoader loader;
    private final AvatarCache<String, Avatar> loaded;

    public AvatarCatalog(AvatarSettings settings, ProceduralAvatar defaultAvatar, VideoAvatarLoader loader) {
        this.settings = settings;
        this.defaultAvatar = defaultAvatar;
        this.loader = loader;
        this.loaded = new AvatarCache<>(settings.cachedAvatars());
    }

    public static AvatarCatalog create(AvatarSettings settings) {
        return new AvatarCatalog(settings, ProceduralAvatar.defaultAvatar(),
                new VideoAvatarLoader(settings, HaarFaceDetector::new));
    }

    /** {@code default} first, then the videos' ids in name order. */
    public List<String> ids() {
        List<String> ids = new ArrayList<>();
        ids.add(ProceduralAvatar.ID);
        videos().map(AvatarCatalog::idOf).flatMap(Optional::stream).sorted()
                .filter(id -> !id.equals(ProceduralAvatar.ID)).forEach(ids::add);
        return ids;
    }

    public boolean exists(String id) {
        return ProceduralAvatar.ID.equals(id) || findVideo(id).isPresent();
    }

    /**
     * The avatar, prepared at {@code fps}.
     *
     * @throws GenerationException {@code AVATAR_INVALID} for an unknown id or an unusable video
     */
    public Avatar load(String id, int fps) {
        if (id == null || !exists(id)) {
            throw new GenerationException(ErrorCode.AVATAR_INVALID, "There is no avatar '" + id + "'; known avatars: "
                    + String.join(", ", ids()) + ".");
        }
        return loaded.get(id + "@" + fps, key -> prepare(id, fps));
    }

    private Avatar prepare(String id, int fps) {
        if (ProceduralAvatar.ID.equals(id)) {
            return defaultAvatar.render(fps);
        }
        Path video = findVideo(id).orElseThrow(() -> new GenerationException(ErrorCode.AVATAR_INVALID,
                "The avatar video '" + id + "' disappeared from " + settings.videoDir() + "."));
        return loader.load(id, video, fps);
    }

    /** The source video of avatar {@code id}; empty for the drawn default and for unknown ids. */
    public Optional<Path> videoOf(String id) {
        return findVideo(id);
    }

    private Optional<Path> findVideo(String id) {
        if (!AvatarIds.isWellFormed(id)) {
            return Optional.empty();
        }
        return videos().filter(p -> idOf(p).filter(id::equals).isPresent()).findFirst();
    }

    private Stream<Path> videos() {
        Path dir = settings.videoDir();
        if (!Files.isDirectory(dir)) {
            return Stream.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).filter(p -> extension(p).map(VIDEO_EXTENSIONS::contains)
                    .orElse(false)).sorted().toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list avatar videos in " + dir, e);
        }
    }

    private static Optional<String> idOf(Path video) {
        String name = video.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String id = dot > 0 ? name.substring(0, dot) : name;
        return AvatarIds.isWellFormed(id) ? Optional.of(id) : Optional.empty();
    }

    private static Optional<String> extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? Optional.of(name.substring(dot + 1).toLowerCase(Locale.ROOT)) : Optional.empty();
    }
}
