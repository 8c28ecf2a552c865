package ai.lipsync.avatar;

import ai.lipsync.musetalk.InferenceException;
import ai.lipsync.preparation.AvatarPreparationStatus;
import ai.lipsync.preparation.AvatarPreparations;
import ai.lipsync.session.AvatarIds;
import ai.lipsync.session.ErrorCode;
import ai.lipsync.session.GenerationException;
import ai.lipsync.session.ValidationException;
import ai.lipsync.storage.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * {@link AvatarPreparations} over a {@link PreparedAvatarStore}: validates the request, stores an
 * upload in the video directory (so the avatar is then known to the catalog like any other),
 * and prepares on one background thread, off the request thread; the status follows the
 * preparation's progress.
 */
public final class AvatarPreparationService implements AvatarPreparations, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AvatarPreparationService.class);
    /** Longer than one batch of the graphs on a CPU. */
    private static final long CLOSE_WAIT_SECONDS = 120;
    private static final Set<String> EXTENSIONS = Set.of("mp4", "mov", "mkv", "webm");

    private final PreparedAvatarStore store;
    private final AvatarCatalog catalog;
    private final Path videoDir;
    private final int fps;
    private final long maxUploadBytes;
    private final ThreadPoolExecutor executor;
    private final ConcurrentMap<String, AvatarPreparationStatus> jobs = new ConcurrentHashMap<>();

    /**
     * @param fps the output frame rate avatars are prepared at
     * @param queued how many preparations may wait behind the running one
     */
    public AvatarPreparationService(PreparedAvatarStore store, AvatarCatalog catalog, Path videoDir, int fps,
                                    long maxUploadBytes, int queued) {
        this.store = store;
        this.catalog = catalog;
        this.videoDir = videoDir;
        this.fps = fps;
        this.maxUploadBytes = maxUploadBytes;
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queued), r -> {
            Thread t = new Thread(r, "avatar-preparation");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public AvatarPreparationStatus prepare(String name) {
        String id = idOf(name, true);
        if (!catalog.exists(id)) {
            throw new ValidationException(UNKNOWN_AVATAR, "There is no video '" + name + "' in " + videoDir
                    + "; known avatars: " + String.join(", ", catalog.ids()) + ".");
        }
        return submit(id);
    }

    @Override
    public AvatarPreparationStatus upload(String name, String fileName, byte[] video) {
        if (fileName != null && !fileName.isEmpty()) {
            idOf(fileName, true); // refuses a path or '..' in the file name, even when a name is given
        }
        String id = name != null && !name.isBlank() ? idOf(name, false) : idOf(fileName, true);
        if (video == null || video.length == 0) {
            throw new ValidationException(VIDEO_REQUIRED, "The upload holds no video; send the file in the 'video' "
                    + "field of a multipart/form-data body.");
        }
        if (video.length > maxUploadBytes) {
            throw new ValidationException(VIDEO_TOO_LARGE, "The video is larger than " + maxUploadBytes / (1 << 20)
                    + " MiB; send a shorter clip (only the first seconds are used).");
        }
        String ext = VideoSniffer.extension(Arrays.copyOf(video, Math.min(video.length, 64)))
                .orElseThrow(() -> new ValidationException(NOT_A_VIDEO, "The upload is not a video file; send an "
                        + "MP4, MOV, MKV or WebM video."));
        Path stored = videoDir.resolve(id + "." + ext);
        synchronized (this) {
            if (catalog.exists(id)) {
                throw new ValidationException(AVATAR_EXISTS, "An avatar named '" + id + "' exists already; "
                        + "choose another name.");
            }
            try {
                AtomicFiles.write(stored, video);
            } catch (IOException e) {
                throw new UncheckedIOException("could not store the uploaded avatar video " + id, e);
            }
            log.info("[avatar={}] video uploaded [bytes={}, container={}]", id, video.length, ext);
            try {
                return submit(id);
            } catch (ValidationException busy) {
                // Turned away (429): keep nothing, so the client's retry of the same upload is not 'avatar_exists'.
                deleteQuietly(stored);
                throw busy;
            }
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("could not remove the refused upload {}: {}", file, e.toString());
        }
    }

    @Override
    public Optional<AvatarPreparationStatus> status(String id) {
        if (!AvatarIds.isWellFormed(id)) {
            throw new ValidationException(INVALID_NAME, "An avatar id is 1-64 letters, digits, '.', '_' or '-'.");
        }
        AvatarPreparationStatus job = jobs.get(id);
        if (job != null) {
            return Optional.of(job);
        }
        // Prepared before this process started (or by the CLI): ready if its package is current.
        java.util.OptionalInt frames = store.preparedFrames(id, fps);
        return frames.isPresent() ? Optional.of(AvatarPreparationStatus.ready(id, frames.getAsInt())) : Optional.empty();
    }

    @Override
    public long maxUploadBytes() {
        return maxUploadBytes;
    }

    private synchronized AvatarPreparationStatus submit(String id) {
        AvatarPreparationStatus current = jobs.get(id);
        if (current != null && current.status().equals(AvatarPreparationStatus.PREPARING)) {
            return current; // already on its way: one preparation per avatar
        }
        AvatarPreparationStatus queued = AvatarPreparationStatus.queued(id);
        try {
            jobs.put(id, queued);
            executor.execute(() -> run(id));
        } catch (RejectedExecutionException e) {
            if (current != null) {
                jobs.put(id, current);
            } else {
                jobs.remove(id);
            }
            throw new ValidationException(BUSY, "Too many avatars are being prepared; try again in a minute.");
        }
        return queued;
    }

    private void run(String id) {
        try {
            PreparedAvatar prepared = store.get(id, fps, p -> {
                // close() interrupts: stop at the next frame or batch, before the models are freed under us.
                if (Thread.currentThread().isInterrupted()) {
                    throw new CancellationException("the preparation service is closing");
                }
                jobs.put(id, AvatarPreparationStatus.preparing(id, p.percent(), p.stage(), p.total()));
            });
            jobs.put(id, AvatarPreparationStatus.ready(id, prepared.avatar().frames().size()));
        } catch (CancellationException e) {
            log.info("[avatar={}] preparation stopped: the service is closing", id);
            jobs.remove(id);
        } catch (GenerationException e) {
            failed(id, e.code(), e.publicMessage(), e);
        } catch (InferenceException e) {
            failed(id, e.code(), e.publicMessage(), e);
        } catch (RuntimeException | Error e) {
            log.error("[avatar={}] preparation failed", id, e);
            jobs.put(id, AvatarPreparationStatus.failed(id, "The preparation failed on the server; the error was "
                    + "logged.", "internal"));
        }
    }

    private void failed(String id, ErrorCode code, String publicMessage, RuntimeException e) {
        log.warn("[avatar={}] preparation failed [code={}]: {}", id, code.wireName(), e.getMessage(), e);
        jobs.put(id, AvatarPreparationStatus.failed(id, publicMessage, code.wireName()));
    }

    /**
     * The avatar id a name stands for: {@code sun} or {@code sun.mp4} (when files are allowed);
     * a path, '..' or a malformed id is refused.
     */
    private static String idOf(String name, boolean fileAllowed) {
        if (name == null || name.isBlank()) {
            throw new ValidationException(INVALID_NAME, "An avatar name is required, e.g. {\"name\": \"anna\"}.");
        }
        if (name.contains("/") || name.contains("\\") || name.contains("..") || name.indexOf('\0') >= 0) {
            throw new ValidationException(INVALID_NAME, "The avatar name must be a file name inside the video "
                    + "folder, without a path or '..'.");
        }
        String id = name;
        int dot = name.lastIndexOf('.');
        if (fileAllowed && dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT))) {
            id = name.substring(0, dot);
        }
        if (!AvatarIds.isWellFormed(id)) {
            throw new ValidationException(INVALID_NAME, "An avatar name is 1-64 letters, digits, '.', '_' or '-', "
                    + "starting with a letter or digit; got '" + name + "'.");
        }
        return id;
    }

    /**
     * Stops the preparation in flight at its next frame or batch (a model call itself cannot be
     * interrupted) and waits for it, so the models and the landmarker it uses can be freed after.
     */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                log.warn("an avatar preparation was still running {} s after close", CLOSE_WAIT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
