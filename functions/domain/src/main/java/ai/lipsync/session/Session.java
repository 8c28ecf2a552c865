package ai.lipsync.session;

import java.time.Instant;
import java.util.Objects;

/**
 * One generation request and where it stands. Immutable: stores replace the whole record.
 *
 * @param engine the lip-sync engine that serves it ("weights-free", "musetalk-1.5"); null until chosen
 * @param errorCode null unless status is ERROR
 * @param workerId the worker holding the job while processing (null on the embedded default)
 * @param leaseExpiresAt until when that worker's claim holds; a processing session whose lease has
 *     expired (its worker died) may be claimed by another worker. Null when no lease is used.
 */
public record Session(
        String id,
        String text,
        Language lang,
        String avatar,
        SessionStatus status,
        int progress,
        boolean playlistReady,
        ErrorCode errorCode,
        String errorMessage,
        String engine,
        Instant createdAt,
        Instant updatedAt,
        String workerId,
        Instant leaseExpiresAt) {

    public Session {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        if (progress < 0 || progress > 100) {
            throw new IllegalArgumentException("progress must be 0..100, was " + progress);
        }
    }

    public static Session created(String id, String text, Language lang, String avatar, Instant now) {
        return new Session(id, text, lang, avatar, SessionStatus.CREATED, 0, false, null, null, null, now, now, null,
                null);
    }

    /** Claimed without a lease (one JVM: the job cannot outlive its worker). */
    public Session processing(String engine, Instant now) {
        return claimedBy(engine, null, null, now);
    }

    /** Claimed by {@code workerId} until {@code leaseExpiresAt}; see {@link #claimableAt}. */
    public Session claimedBy(String engine, String worker, Instant leaseUntil, Instant now) {
        return new Session(id, text, lang, avatar, SessionStatus.PROCESSING, progress, playlistReady, null, null,
                engine, createdAt, now, worker, leaseUntil);
    }

    /**
     * True when a worker may take this session now: it is new, or it is processing under a lease
     * that expired (the worker holding it died). Ready, failed and cancelled sessions are never taken again.
     */
    public boolean claimableAt(Instant now) {
        return status == SessionStatus.CREATED
                || (status == SessionStatus.PROCESSING && leaseExpiresAt != null && !leaseExpiresAt.isAfter(now));
    }

    /** The same claim held longer (the worker is still alive and working). */
    public Session withLease(Instant leaseUntil, Instant now) {
        return new Session(id, text, lang, avatar, status, progress, playlistReady, errorCode, errorMessage, engine,
                createdAt, now, workerId, leaseUntil);
    }

    /** Handed back unfinished (a worker shutting down): another worker may claim it at once. */
    public Session released(Instant now) {
        return new Session(id, text, lang, avatar, SessionStatus.CREATED, progress, playlistReady, null, null,
                engine, createdAt, now, null, null);
    }

    /** Progress never goes backwards, whatever order updates arrive in. */
    public Session withProgress(int newProgress, Instant now) {
        int p = Math.max(progress, Math.min(100, newProgress));
        return new Session(id, text, lang, avatar, status, p, playlistReady, errorCode, errorMessage, engine,
                createdAt, now, workerId, leaseExpiresAt);
    }

    public Session withPlaylistReady(Instant now) {
        return new Session(id, text, lang, avatar, status, progress, true, errorCode, errorMessage, engine,
                createdAt, now, workerId, leaseExpiresAt);
    }

    public Session ready(Instant now) {
        return new Session(id, text, lang, avatar, SessionStatus.READY, 100, true, null, null, engine, createdAt,
                now, workerId, null);
    }

    /** Stopped on request; what was published stays listed. Only an unfinished session may become cancelled. */
    public Session cancelled(Instant now) {
        if (status.isFinal()) {
            throw new IllegalStateException("session " + id + " already ended " + status.wireName());
        }
        return new Session(id, text, lang, avatar, SessionStatus.CANCELLED, progress, playlistReady, null, null,
                engine, createdAt, now, workerId, null);
    }

    public Session failed(ErrorCode code, String message, Instant now) {
        return new Session(id, text, lang, avatar, SessionStatus.ERROR, progress, playlistReady, code, message,
                engine, createdAt, now, workerId, null);
    }
}
