package ai.lipsync.session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Forgets finished sessions of the embedded default once they are older than the retention, with
 * their stream and speech files, so a long-running service does not fill its memory and disk.
 * (On AWS the same job is done by DynamoDB TTL and S3 lifecycle rules.)
 */
public final class SessionJanitor {
    private static final Logger log = LoggerFactory.getLogger(SessionJanitor.class);
    private final InMemorySessionStore sessions;
    private final List<SessionArtifacts> artifacts;
    private final Duration retention;
    private final Clock clock;

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

    /** @return how many sessions were removed */
    public int sweep() {
        List<String> expired = sessions.removeFinishedBefore(clock.instant().minus(retention));
        for (String id : expired) {
            for (SessionArtifacts a : artifacts) {
                try {
                    a.delete(id);
                } catch (IOException | RuntimeException e) {
                    // The next sweep cannot find the session again: log it, leave the files.
                    log.warn("[session={}] expired, but its files could not all be deleted", id, e);
                }
            }
        }
        if (!expired.isEmpty()) {
            log.info("expired {} finished sessions older than {}", expired.size(), retention);
        }
        return expired.size();
    }
}
