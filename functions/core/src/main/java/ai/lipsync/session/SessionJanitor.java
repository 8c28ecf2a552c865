package ai.lipsync.session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Forgets finished sessions of the embedded default once they are older than the retention, with
 * their stream and speech files, so a long-running service does not fill its memory and disk.
 * It also removes the per-session folders no known session owns (a crash or a restart forgets
 * sessions, not their files) once nothing in them changed for the retention.
 * (On AWS the same job is done by DynamoDB TTL and S3 lifecycle rules.)
 */
public final class SessionJanitor {
    private static final Logger log = LoggerFactory.getLogger(SessionJanitor.class);
    private final InMemorySessionStore sessions;
    private final List<SessionArtifacts> artifacts;
    private final Duration retention;
    private final Clock clock;
    /** Foreign folders are reported once per process, not on every sweep. */
    private final Set<Path> reported = ConcurrentHashMap.newKeySet();

    /** @param retention how long a ready or failed session stays playable after it finished */
    public SessionJanitor(InMemorySessionStore sessions, List<SessionArtifacts> artifacts, Duration retention,
            Clock clock) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive, was " + retention);
        }
        this.sessions = sessions;
        this.artifacts = List.copyOf(artifacts);
        this.retention = retention;
        this.clock = clock;
    }

    /**
     * Expires finished sessions, then sweeps orphaned folders ({@link #sweepOrphans()}).
     *
     * @return how many sessions were removed
     */
    public int sweep() {
        List<String> expired = sessions.removeFinishedBefore(clock.instant().minus(retention));
        for (String id : expired) {
            for (SessionArtifacts a : artifacts) {
                try {
                    a.delete(id);
                } catch (IOException | RuntimeException e) {
                    // The orphan sweep tries again once the folder is older than the retention.
                    log.warn("[session={}] expired, but its files could not all be deleted", id, e);
                }
            }
        }
        if (!expired.isEmpty()) {
            log.info("expired {} finished sessions older than {}", expired.size(), retention);
        }
        sweepOrphans();
        return expired.size();
    }

    /**
     * Deletes each per-session folder in the artifacts' directories whose session this process does
     * not know and in which nothing changed for the retention. Folders of known sessions, younger
     * ones, and anything whose name is not a session's (or that is a file or a link) stay.
     *
     * @return how many forgotten sessions had folders removed, counted once per store
     */
    public int sweepOrphans() {
        Instant cutoff = clock.instant().minus(retention);
        int removed = 0;
        for (SessionArtifacts a : artifacts) {
            Optional<SessionFolders> folders = a.folders();
            if (folders.isPresent()) {
                removed += sweep(a, folders.get(), cutoff);
            }
        }
        if (removed > 0) {
            log.info("removed the folders of {} sessions no longer known, unchanged for {}", removed, retention);
        }
        return removed;
    }

    private int sweep(SessionArtifacts artifact, SessionFolders folders, Instant cutoff) {
        List<Path> entries;
        try (Stream<Path> list = Files.list(folders.dir())) {
            entries = list.toList();
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException | RuntimeException e) {
            log.warn("could not list {} for folders of forgotten sessions", folders.dir(), e);
            return 0;
        }
        int removed = 0;
        for (Path entry : entries) {
            if (!Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            Optional<String> owner = folders.owner().apply(entry.getFileName().toString());
            if (owner.isEmpty()) {
                if (reported.add(entry)) {
                    log.warn("left alone: {} is not named as a session's folder", entry);
                }
                continue;
            }
            if (sessions.find(owner.get()).isPresent()) {
                continue;
            }
            try {
                if (lastChange(entry).isBefore(cutoff)) {
                    // The store deletes its own folder: the same checks as when a session expires.
                    artifact.delete(owner.get());
                    removed++;
                    log.info("[session={}] removed {}: no such session, unchanged since before {}", owner.get(),
                            entry, cutoff);
                }
            } catch (IOException | RuntimeException e) {
                log.warn("[session={}] could not remove {}", owner.get(), entry, e);
            }
        }
        return removed;
    }

    /** The newest modification of the folder or anything in it: a stream still being written is young. */
    private static Instant lastChange(Path dir) throws IOException {
        try (Stream<Path> tree = Files.walk(dir)) {
            Instant newest = Instant.MIN;
            for (Path p : (Iterable<Path>) tree::iterator) {
                Instant t = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                        .lastModifiedTime().toInstant();
                newest = t.isAfter(newest) ? t : newest;
            }
            return newest;
        }
    }
}
