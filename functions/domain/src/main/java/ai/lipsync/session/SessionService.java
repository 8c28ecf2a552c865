package ai.lipsync.session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * The synchronous half of the API: validates a request, records the session and hands the job to
 * the queue. Everything slow happens in the {@link JobHandler} behind the queue.
 */
public final class SessionService {
    private static final Logger log = LoggerFactory.getLogger(SessionService.class);
    /** Attempts at a free id: one duplicate is retried; a run of them means a broken id source. */
    static final int CREATE_ATTEMPTS = 3;
    // Avatar ids become directory names in some catalogs: only a safe alphabet gets that far.

    private final SessionStore store;
    private final JobQueue queue;
    private final SessionIds ids;
    private final Predicate<String> avatarExists;
    private final String defaultAvatar;
    private final int maxTextLength;
    private final Clock clock;

    /**
     * @param avatarExists the avatar catalog: true for ids a job can use
     * @param defaultAvatar used when a request names none
     * @param maxTextLength in Unicode code points; bounds TTS cost and generation time per request
     */
    public SessionService(SessionStore store, JobQueue queue, SessionIds ids, Predicate<String> avatarExists,
                          String defaultAvatar, int maxTextLength, Clock clock) {
        if (maxTextLength < 1) {
            throw new IllegalArgumentException("maxTextLength must be at least 1, was " + maxTextLength);
        }
        this.store = Objects.requireNonNull(store, "store");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.avatarExists = Objects.requireNonNull(avatarExists, "avatarExists");
        this.defaultAvatar = Objects.requireNonNull(defaultAvatar, "defaultAvatar");
        this.maxTextLength = maxTextLength;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public int maxTextLength() {
        return maxTextLength;
    }

    /**
     * Starts a generation.
     *
     * @param avatar null or blank for the default avatar
     * @return the new session, status {@code created}
     * @throws ValidationException when the input is unusable; nothing was stored
     * @throws QueueFullException when no worker can take the job; the session is recorded as refused
     */
    public Session start(String text, String lang, String avatar) {
        String validText = validText(text);
        Language language = validLanguage(lang);
        String avatarId = validAvatar(avatar);
        Session session = createWithFreshId(validText, language, avatarId);
        try {
            queue.submit(new GenerationJob(session.id(), validText, language, avatarId));
        } catch (QueueFullException e) {
            // The caller gets a 429 and never sees this id; the record says why it never ran.
            recordFailure(session.id(), ErrorCode.QUEUE_FULL, e.getMessage(), e);
            throw e;
        } catch (RuntimeException e) {
            // No orphan 'created' record that no worker will ever take.
            recordFailure(session.id(), ErrorCode.INTERNAL,
                    "The job could not be queued; the service log has the details.", e);
            throw e;
        }
        log.info("session created [sessionId={}, lang={}, avatar={}, chars={}]",
                session.id(), language.code(), avatarId, validText.codePointCount(0, validText.length()));
        return session;
    }

    /**
     * Stores a new session. An id that exists already is not the caller's fault: the request goes on
     * with a new id. A run of them means the id source repeats itself, and that is reported.
     */
    private Session createWithFreshId(String text, Language language, String avatarId) {
        SessionExistsException taken = null;
        for (int attempt = 1; attempt <= CREATE_ATTEMPTS; attempt++) {
            Session session = Session.created(ids.next(), text, language, avatarId, clock.instant());
            try {
                store.create(session);
                return session;
            } catch (SessionExistsException e) {
                // 128 random bits do not collide by chance: the id source is broken (e.g. copied by a snapshot).
                log.warn("session id already taken, trying a new one [sessionId={}, attempt={}]", e.sessionId(),
                        attempt);
                if (taken != null) {
                    e.addSuppressed(taken);
                }
                taken = e;
            }
        }
        throw new IllegalStateException("No free session id in " + CREATE_ATTEMPTS
                + " attempts: the session id source repeats itself.", taken);
    }

    /**
     * Marks a session that could not be queued as failed. When the store fails too (the same outage
     * often takes both), the queue's failure is still the one thrown, with the store's attached.
     */
    private void recordFailure(String id, ErrorCode code, String message, RuntimeException queueFailure) {
        try {
            store.update(id, s -> s.failed(code, message, clock.instant()));
        } catch (RuntimeException storeFailure) {
            queueFailure.addSuppressed(storeFailure);
        }
    }

    /**
     * @throws ValidationException when {@code id} cannot be a session id at all
     */
    public Optional<Session> find(String id) {
        requireWellFormed(id);
        return store.find(id);
    }

    /**
     * Cancels a session that has not ended: the record becomes {@code cancelled} in one atomic update
     * (so a race with the worker's {@code ready} or {@code error} leaves exactly one terminal state),
     * then the workers are told, so a running generation stops at once.
     *
     * @return the cancelled session; empty when there is no such session
     * @throws ValidationException when {@code id} cannot be a session id at all
     * @throws SessionEndedException when the session is ready, in error or cancelled already
     */
    public Optional<Session> cancel(String id) {
        requireWellFormed(id);
        AtomicReference<Session> found = new AtomicReference<>();
        Session after;
        try {
            after = store.update(id, s -> {
                // Set on every attempt: a store may apply the change more than once (conditional writes).
                found.set(s);
                return s.status().isFinal() ? s : s.cancelled(clock.instant());
            });
        } catch (NoSuchElementException e) {
            return Optional.empty();
        }
        if (found.get().status().isFinal()) {
            throw new SessionEndedException(found.get());
        }
        try {
            queue.cancel(id);
        } catch (RuntimeException e) {
            // The record says cancelled: a worker that missed the push reads it at its next segment.
            log.warn("could not tell the workers about the cancel [sessionId={}]", id, e);
        }
        log.info("session cancelled [sessionId={}, was={}, progress={}]", id, found.get().status().wireName(),
                after.progress());
        return Optional.of(after);
    }

    public static void requireWellFormed(String id) {
        if (!SessionIds.isWellFormed(id)) {
            throw new ValidationException(ValidationException.INVALID_SESSION_ID,
                    "The session id is malformed: it must be the 22-character id returned by /api/stream/start.");
        }
    }

    /** @return the text in NFC, the form that is counted, stored and spoken */
    private String validText(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new ValidationException(ValidationException.TEXT_REQUIRED,
                    "The field 'text' is required and must contain something to say.");
        }
        String text = SpeechText.normalized(raw);
        int length = text.codePointCount(0, text.length());
        if (length > maxTextLength) {
            throw new ValidationException(ValidationException.TEXT_TOO_LONG, "The text is " + length
                    + " characters long; the limit is " + maxTextLength + ".");
        }
        return text;
    }

    private static Language validLanguage(String lang) {
        if (lang == null || lang.isBlank()) {
            throw new ValidationException(ValidationException.LANG_REQUIRED,
                    "The field 'lang' is required: one of ru, kk, en.");
        }
        return Language.fromCode(lang).orElseThrow(() -> new ValidationException(
                ValidationException.UNSUPPORTED_LANG, "The language '" + printable(lang)
                + "' is not supported: use exactly one of ru, kk, en."));
    }

    private String validAvatar(String avatar) {
        if (avatar == null || avatar.isBlank()) {
            return defaultAvatar;
        }
        if (!AvatarIds.isWellFormed(avatar)) {
            throw new ValidationException(ValidationException.INVALID_AVATAR,
                    "The avatar id must start with a letter or digit and contain only letters, digits, '.', '_' and '-' (at most 64).");
        }
        if (!avatarExists.test(avatar)) {
            throw new ValidationException(ValidationException.UNKNOWN_AVATAR,
                    "There is no avatar '" + avatar + "'.");
        }
        return avatar;
    }

    /** Echoes caller input into a message short, with control characters (and other invisibles) as \\uXXXX. */
    private static String printable(String s) {
        String cut = s.length() > 16 ? s.substring(0, 16) + "…" : s;
        StringBuilder out = new StringBuilder();
        cut.chars().forEach(c -> {
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                    || Character.getType(c) == Character.SURROGATE) {
                out.append(String.format("\\u%04X", c));
            } else {
                out.append((char) c);
            }
        });
        return out.toString();
    }
}
