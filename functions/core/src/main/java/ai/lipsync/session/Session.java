package ai.lipsync.session;

import java.time.Instant;
import java.util.Objects;

/**
 * One generation request and where it stands. Immutable: stores replace the whole record.
 *
 * @param engine the lip-sync engine that serves it ("weights-free", "musetalk-1.5"); null until chosen
 * @param errorCode null unless status is ERROR
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
        Instant updatedAt) {

    public Session {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        if (progress < 0 || progress > 100) {
            throw new IllegalArgumentException("progress must be 0..100, was " + progress);
        }
    }

    public static Session created(String id, String text, Language lang, String avatar, Instant now) {
        return new Session(id, text, lang, avatar, SessionStatus.CREATED, 0, false, null, null, null, now, now);
    }

    public Session processing(String engine, Instant now) {
        return new Session(id, text, lang, avatar, SessionStatus.PROCESSING, progress, playlistReady, null, null,
                engine, createdAt, now);
    }

    /** Progress never goes backwards, whatever order updates arrive in. */
    public Session withProgress(int newProgress, Instant now) {
        int p = Math.max(progress, Math.min(100, newProgress));
        return new Session(id, text, lang, avatar, status, p, playlistReady, errorCode, errorMessage, engine,
                createdAt, now);
    }

    public Session withPlaylistReady(Instant now) {
        return new Session(id, text, lang, avatar, status, progress, true, errorCode, errorMessage, engine,
                createdAt, now);
    }

    public Session ready(Instant now) {
        return new Session(id, text, lang, avatar, SessionStatus.READY, 100, true, null, null, engine, createdAt,
                now);
    }

    public Session failed(ErrorCode code, String message, Instant now) {
        return new Session(id, text, lang, avatar, SessionStatus.ERROR, progress, playlistReady, code, message,
                engine, createdAt, now);
    }
}
